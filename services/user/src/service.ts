// The user service: entrypoints only. Each declares its arguments once (checked before it runs),
// works through the collections, translates their expected exceptions into this service's own,
// and dumps its reply.
import { ALLOW } from './access';
import { randomUUID } from 'node:crypto';
import { OutboxDispatcher } from '@platform/db';
import { dump, entrypointOptions } from '@platform/schemas';
import { inject, rpc, service } from '@platform/shimeji';
import { userDatabase, type UserRow } from './dependencies/db';
import { InitialAccounts } from './dependencies/initial-accounts';
import { Passwords } from './dependencies/passwords';
import * as exc from './exceptions';
import * as schemas from './schemas';
import { canAuthenticate, type Role } from './states';

export const USER_REGISTERED = 'user_registered';
export const USER_SUSPENDED = 'user_suspended';
export const USER_REACTIVATED = 'user_reactivated';
export const USER_ROLE_CHANGED = 'user_role_changed';

const toUser = (row: UserRow): schemas.User => dump(schemas.User, { ...row, created_at: new Date(row.created_at).toISOString() });

const expected = [exc.BadRequest, exc.NotFound, exc.InvalidCredentials, exc.AccountSuspended, exc.EmailAlreadyRegistered, exc.ConcurrentChange];
const takes = entrypointOptions(exc.BadRequest, expected);

@service('user')
export class UserService {
  db = inject(userDatabase());
  dispatch = inject(new OutboxDispatcher(this.db));
  passwords = inject(new Passwords());
  initialAccounts = inject(new InitialAccounts(this.db));

  @rpc({ ...takes(schemas.RegisterUser), idempotent: true, allow: ALLOW.registerUser })
  async registerUser(email: string, name: string, password: string): Promise<schemas.User> {
    const passwordHash = await this.passwords.hash(password);
    let row: UserRow;
    try {
      row = await this.db.users.add({ id: randomUUID(), email, name, role: 'customer', password_hash: passwordHash });
    } catch (error) {
      if (error instanceof this.db.AlreadyExists) throw new exc.EmailAlreadyRegistered(`${email} is registered already`);
      throw error;
    }
    const user = toUser(row);
    this.dispatch(USER_REGISTERED, { user });
    return user;
  }

  @rpc({ ...takes(schemas.Authenticate), allow: ALLOW.authenticate })
  async authenticate(email: string, password: string): Promise<schemas.User> {
    let row: UserRow;
    try {
      row = await this.db.users.getByEmail(email);
    } catch (error) {
      if (!(error instanceof this.db.NotFound)) throw error;
      await this.passwords.verifyNothing(password);
      throw new exc.InvalidCredentials('wrong email or password');
    }
    if (!(await this.passwords.verify(password, row.password_hash))) throw new exc.InvalidCredentials('wrong email or password');
    if (!canAuthenticate(row.status)) throw new exc.AccountSuspended('this account is suspended');
    // The one moment the password is known: a hash made with older, weaker parameters is replaced.
    if (this.passwords.needsUpgrade(row.password_hash)) await this.db.users.upgradePasswordHash(row, await this.passwords.hash(password));
    return toUser(row);
  }

  @rpc({ ...takes(schemas.GetUser), allow: ALLOW.getUser })
  async getUser(userId: string): Promise<schemas.User> {
    return toUser(await this.load(userId));
  }

  /** A batch, for facades that would otherwise call getUser once per user. Unknown ids are left out. */
  @rpc({ ...takes(schemas.GetUsersById), allow: ALLOW.getUsersById })
  async getUsersById(userIds: string[]): Promise<schemas.User[]> {
    return (await this.db.users.getManyById(userIds)).map(toUser);
  }

  @rpc({ ...takes(schemas.FindUsers), allow: ALLOW.findUsers })
  async findUsers(query: string | undefined = undefined, page = 1, pageSize = 20) {
    const { rows, total } = await this.db.users.find(query, page, pageSize);
    return dump(schemas.UserPage, { items: rows.map(toUser), total, page, page_size: pageSize });
  }

  @rpc({ ...takes(schemas.SuspendUser), idempotent: true, allow: ALLOW.suspendUser })
  async suspendUser(userId: string, reason: string, actorId: string): Promise<schemas.User> {
    const user = await this.changeUser(userId, { status: 'suspended' }, { change: 'suspended', reason, actorId });
    this.dispatch(USER_SUSPENDED, { user, reason, actor: { id: actorId } });
    return user;
  }

  @rpc({ ...takes(schemas.SuspendUser), idempotent: true, allow: ALLOW.reactivateUser })
  async reactivateUser(userId: string, reason: string, actorId: string): Promise<schemas.User> {
    const user = await this.changeUser(userId, { status: 'active' }, { change: 'reactivated', reason, actorId });
    this.dispatch(USER_REACTIVATED, { user, reason, actor: { id: actorId } });
    return user;
  }

  @rpc({ ...takes(schemas.ChangeRole), idempotent: true, allow: ALLOW.changeRole })
  async changeRole(userId: string, role: Role, actorId: string): Promise<schemas.User> {
    const user = await this.changeUser(userId, { role }, { change: `role:${role}`, actorId });
    this.dispatch(USER_ROLE_CHANGED, { user, actor: { id: actorId } });
    return user;
  }

  private async load(userId: string): Promise<UserRow> {
    try {
      return await this.db.users.getById(userId);
    } catch (error) {
      if (error instanceof this.db.NotFound) throw new exc.NotFound(`no user ${userId}`);
      throw error;
    }
  }

  private async changeUser(
    userId: string,
    changes: Partial<Pick<UserRow, 'status' | 'role'>>,
    record: { change: string; reason?: string; actorId: string },
  ): Promise<schemas.User> {
    const current = await this.load(userId);
    try {
      return toUser(await this.db.users.change(current, changes, record));
    } catch (error) {
      if (error instanceof this.db.ConcurrencyConflict) throw new exc.ConcurrentChange(`user ${userId} changed meanwhile; try again`);
      throw error;
    }
  }
}
