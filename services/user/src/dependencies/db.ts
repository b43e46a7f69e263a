// The user service's storage: the `users` collection, in the domain's language.
import { AlreadyExists, Collection, Database, isUniqueViolation, NotFound } from '@platform/db';
import type { Role, Status } from '../states';
import { migrations } from '../migrations';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: Status;
  password_hash: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export class Users extends Collection {
  async add(user: Pick<UserRow, 'id' | 'email' | 'name' | 'role' | 'password_hash'>): Promise<UserRow> {
    const trx = await this.trx();
    try {
      const [row] = await trx('users').insert({ ...user, status: 'active', version: 1 }).returning('*');
      return row as UserRow;
    } catch (error) {
      if (isUniqueViolation(error)) throw new AlreadyExists(`email ${user.email} is registered already`);
      throw error;
    }
  }

  async getById(id: string): Promise<UserRow> {
    const db = await this.reader();
    const row = (await db('users').where({ id }).first()) as UserRow | undefined;
    if (!row) throw new NotFound(`no user ${id}`);
    return row;
  }

  async getByEmail(email: string): Promise<UserRow> {
    const db = await this.reader();
    const row = (await db('users').where({ email }).first()) as UserRow | undefined;
    if (!row) throw new NotFound(`no user with email ${email}`);
    return row;
  }

  /** The users among `ids` that exist, in the order asked for. */
  async getManyById(ids: readonly string[]): Promise<UserRow[]> {
    if (ids.length === 0) return [];
    const db = await this.reader();
    const rows = (await db('users').whereIn('id', [...ids])) as UserRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)).filter((r): r is UserRow => r !== undefined);
  }

  /** A page of users whose email or name contains `query` (any case), newest first. */
  async find(query: string | undefined, page: number, pageSize: number): Promise<{ rows: UserRow[]; total: number }> {
    const db = await this.reader();
    const filtered = () => {
      const q = db('users');
      if (query) {
        const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q.where((w) => w.whereILike('email', pattern).orWhereILike('name', pattern));
      }
      return q;
    };
    const [{ count }] = (await filtered().count({ count: '*' })) as [{ count: string | number }];
    const rows = (await filtered()
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }])
      .limit(pageSize)
      .offset((page - 1) * pageSize)) as UserRow[];
    return { rows, total: Number(count) };
  }

  /**
   * Replaces the hash of a password just verified with a stronger one, unless it changed since it
   * was read. Not a change of the user (no version bump): a token minted for them stays good.
   */
  async upgradePasswordHash(user: UserRow, passwordHash: string): Promise<void> {
    const trx = await this.trx();
    await trx('users').where({ id: user.id, password_hash: user.password_hash }).update({ password_hash: passwordHash });
  }

  /** Changes status or role if the user is still at `expectedVersion`, and records who did it and why. */
  async change(
    user: UserRow,
    changes: Partial<Pick<UserRow, 'status' | 'role'>>,
    record: { change: string; reason?: string; actorId: string },
  ): Promise<UserRow> {
    await this.updateVersioned('users', user.id, user.version, { ...changes, updated_at: new Date() });
    const trx = await this.trx();
    await trx('user_status_changes').insert({ user_id: user.id, change: record.change, reason: record.reason ?? null, actor_id: record.actorId });
    return this.getById(user.id);
  }
}

export const userDatabase = () => new Database({ users: Users }, { migrations });
