// The user service: entrypoints only. Each validates its arguments, works through the
// collections, translates their expected exceptions into this service's own, and dumps its reply.
import { randomUUID } from 'node:crypto';
import { OutboxDispatcher } from '@platform/db';
import { dump, validate } from '@platform/schemas';
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

const toUser = (row: UserRow): schemas.User => dump(schemas.User, { ...row, created_at: new Date(row.created_at).toISOString() });

const expected = [exc.BadRequest, exc.NotFound, exc.InvalidCredentials, exc.AccountSuspended, exc.EmailAlreadyRegistered, exc.ConcurrentChange];

@service('user')
export class UserService {
  db = inject(userDatabase());
  dispatch = inject(new OutboxDispatcher());
  passwords = inject(new Passwords());
  initialAccounts = inject(new InitialAccounts());

  @rpc({ expectedExceptions: expected })
  async registerUser(email: string, name: string, password: string): Promise<schemas.User> {
    const args = validate(schemas.RegisterUser, { email, name, password }, exc.BadRequest);
    const passwordHash = await this.passwords.hash(args.password);
    let row: UserRow;
    try {
      row = await this.db.users.add({ id: randomUUID(), email: args.email, name: args.name, role: 'customer', password_hash: passwordHash });
    } catch (error) {
      if (error instanceof this.db.AlreadyExists) throw new exc.EmailAlreadyRegistered(`${args.email} is registered already`);
      throw error;
    }
    const user = toUser(row);
    this.dispatch(USER_REGISTERED, { user });
    return user;
  }

  @rpc({ expectedExceptions: expected })
  async authenticate(email: string, password: string): Promise<schemas.User> {
    const args = validate(schemas.Authenticate, { email, password }, exc.BadRequest);
    let row: UserRow;
    try {
      row = await this.db.users.getByEmail(args.email);
    } catch (error) {
      if (!(error instanceof this.db.NotFound)) throw error;
      await this.passwords.verifyNothing(args.password);
      throw new exc.InvalidCredentials('wrong email or password');
    }
    if (!(await this.passwords.verify(args.password, row.password_hash))) throw new exc.InvalidCredentials('wrong email or password');
    if (!canAuthenticate(row.status)) throw new exc.AccountSuspended('this account is suspended');
    return toUser(row);
  }

  @rpc({ expectedExceptions: expected })
  async getUser(userId: string): Promise<schemas.User> {
    const args = validate(schemas.GetUser, { userId }, exc.BadRequest);
    return toUser(await this.load(args.userId));
  }

  /** A batch, for facades that would otherwise call getUser once per user. Unknown ids are left out. */
  @rpc({ expectedExceptions: expected })
  async getUsersById(userIds: string[]): Promise<schemas.User[]> {
    const args = validate(schemas.GetUsersById, { userIds }, exc.BadRequest);
    return (await this.db.users.getManyById(args.userIds)).map(toUser);
  }

  @rpc({ expectedExceptions: expected })
  async findUsers(query: string | undefined = undefined, page: number | undefined = undefined, pageSize: number | undefined = undefined) {
    const args = validate(schemas.FindUsers, { query, page, pageSize }, exc.BadRequest);
    const { rows, total } = await this.db.users.find(args.query, args.page, args.pageSize);
    return dump(schemas.UserPage, { items: rows.map(toUser), total, page: args.page, pageSize: args.pageSize });
  }

  @rpc({ expectedExceptions: expected })
  async suspendUser(userId: string, reason: string, actorId: string): Promise<schemas.User> {
    const args = validate(schemas.SuspendUser, { userId, reason, actorId }, exc.BadRequest);
    const user = await this.changeUser(args.userId, { status: 'suspended' }, { change: 'suspended', reason: args.reason, actorId: args.actorId });
    this.dispatch(USER_SUSPENDED, { user, reason: args.reason, actor: { id: args.actorId } });
    return user;
  }

  @rpc({ expectedExceptions: expected })
  async reactivateUser(userId: string, reason: string, actorId: string): Promise<schemas.User> {
    const args = validate(schemas.SuspendUser, { userId, reason, actorId }, exc.BadRequest);
    const user = await this.changeUser(args.userId, { status: 'active' }, { change: 'reactivated', reason: args.reason, actorId: args.actorId });
    this.dispatch(USER_REACTIVATED, { user, reason: args.reason, actor: { id: args.actorId } });
    return user;
  }

  @rpc({ expectedExceptions: expected })
  async changeRole(userId: string, role: Role, actorId: string): Promise<schemas.User> {
    const args = validate(schemas.ChangeRole, { userId, role, actorId }, exc.BadRequest);
    return this.changeUser(args.userId, { role: args.role }, { change: `role:${args.role}`, actorId: args.actorId });
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
