// The user service in a container on the real PostgreSQL and RabbitMQ, called as other services
// and facades call it.
import { randomUUID } from 'node:crypto';
import { databaseOf, testDatabaseUrl } from '@platform/db/testing';
import { ErrorRegistry, InvalidArguments, RemoteError, ServiceContainer, type ServiceProxy } from '@platform/shimeji';
import { accessConfig, as, containerFactory, eventRecorder, rpcClientFactory, testBrokerUri } from '@platform/shimeji/testing';
import { Forbidden, NotAuthorized } from '@platform/shimeji';
import { PasswordHasher } from '../../src/dependencies/passwords';
import { UserService } from '../../src/service';

class BadRequest extends InvalidArguments {}
class InvalidCredentials extends Error {}
class AccountSuspended extends Error {}
class EmailAlreadyRegistered extends Error {}
class NotFound extends Error {}

const errors = new ErrorRegistry().registerService('user', { BadRequest, InvalidCredentials, AccountSuspended, EmailAlreadyRegistered, NotFound });

/** Hears the user service's events as its consumers would. */
const recorder = eventRecorder('user', ['user_registered', 'user_suspended']);
const announced = recorder.events;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the user service on PostgreSQL and RabbitMQ', () => {
  const uri = testBrokerUri();
  const containers = containerFactory({ AMQP_URI: uri });
  const clients = rpcClientFactory({ uri, timeoutMs: 20_000, errors });
  const databaseUrl = testDatabaseUrl('user');
  /** As a facade calls it for someone not logged in (sign-up, login). */
  let guest: ServiceProxy<UserService>;
  /** As the support facade calls it for a support agent. */
  let staff: ServiceProxy<UserService>;
  /** As the admin facade calls it for the admin `id`, who acts in their own name. */
  const asAdmin = async (id: string) => (await clients()).service<UserService>('user').$with({ contextData: await as({ sub: id, role: 'admin', audience: 'admin' }) });
  let container: ServiceContainer;

  beforeAll(async () => {
    container = new ServiceContainer(UserService, {
      ...accessConfig(),
      AMQP_URI: uri,
      USER_DATABASE_URL: databaseUrl,
      PASSWORD_SCRYPT_COST: 1024,
      INITIAL_ADMIN_EMAIL: 'Admin@Example.com',
      INITIAL_ADMIN_PASSWORD: 'admin-password',
      logLevel: 'silent',
    });
    await container.start();
  }, 60_000);

  afterAll(async () => {
    await container.stop();
  });

  beforeEach(async () => {
    const client = await clients();
    guest = client.service<UserService>('user').$with({ contextData: await as({ sub: 'guest', role: 'guest' }) });
    staff = client.service<UserService>('user').$with({ contextData: await as({ sub: randomUUID(), role: 'support', audience: 'support' }) });
    announced.length = 0;
  });

  const email = () => `user-${randomUUID().slice(0, 8)}@example.com`;
  const countUsers = async (): Promise<number> => ((await staff.findUsers(undefined, 1, 1)) as { total: number }).total;

  it('registers a user, who then logs in, and announces it without any secret', async () => {
    await containers(recorder.service).start();
    const address = email();
    const registered = await guest.registerUser(address.toUpperCase(), 'Ann', 'correct horse');
    expect(registered).toMatchObject({ email: address, name: 'Ann', role: 'customer', status: 'active' });
    await expect(guest.authenticate(address, 'correct horse')).resolves.toEqual(registered);
    for (let i = 0; i < 100 && announced.length === 0; i++) await sleep(50);
    expect(announced).toEqual([{ type: 'user_registered', payload: { user: registered } }]);
    expect(JSON.stringify(announced)).not.toMatch(/correct horse|scrypt|password/);
  });

  it('rehashes a password stored with weaker parameters at its next login, and leaves the account as it was', async () => {
    const address = email();
    const registered = await guest.registerUser(address, 'Ann', 'correct horse');
    const users = () => databaseOf(container).knex('users').where({ id: registered.id });
    // As an older release, with a lower cost, stored it.
    await users().update({ password_hash: await new PasswordHasher(512).hash('correct horse') });

    await expect(guest.authenticate(address, 'wrong horse')).rejects.toBeInstanceOf(InvalidCredentials);
    expect((await users().first()).password_hash).toMatch(/^scrypt\$512\$8\$1\$/);
    await expect(guest.authenticate(address, 'correct horse')).resolves.toEqual(registered);
    const upgraded = await users().first();
    expect(upgraded).toMatchObject({ password_hash: expect.stringMatching(/^scrypt\$1024\$8\$1\$/), version: 1 });
    await expect(guest.authenticate(address, 'correct horse')).resolves.toEqual(registered);
    expect((await users().first()).password_hash).toBe(upgraded.password_hash);
  });

  it('keeps emails unique whatever their case', async () => {
    const address = email();
    await guest.registerUser(address, 'Ann', 'correct horse');
    await expect(guest.registerUser(address.toUpperCase(), 'Ann 2', 'correct horse')).rejects.toBeInstanceOf(EmailAlreadyRegistered);
  });

  it('gives the same answer to a wrong password and to an unknown email', async () => {
    const address = email();
    await guest.registerUser(address, 'Ann', 'correct horse');
    const wrong = (await guest.authenticate(address, 'wrong horse').catch((e: Error) => e)) as Error;
    const unknown = (await guest.authenticate(email(), 'wrong horse').catch((e: Error) => e)) as Error;
    expect(wrong).toBeInstanceOf(InvalidCredentials);
    expect(unknown).toBeInstanceOf(InvalidCredentials);
    expect(wrong.message).toBe(unknown.message);
  });

  it('creates the initial admin once: a later start with another password leaves the account as it is', async () => {
    const before = await databaseOf(container).knex('users').where({ email: 'admin@example.com' }).first();
    const again = new ServiceContainer(UserService, {
      ...accessConfig(),
      AMQP_URI: uri,
      USER_DATABASE_URL: databaseUrl,
      PASSWORD_SCRYPT_COST: 1024,
      INITIAL_ADMIN_EMAIL: 'admin@example.com',
      INITIAL_ADMIN_PASSWORD: 'another password',
      logLevel: 'silent',
    });
    await again.start();
    await again.stop();
    expect(await databaseOf(container).knex('users').where({ email: 'admin@example.com' })).toEqual([before]);
    await expect(guest.authenticate('admin@example.com', 'another password')).rejects.toBeInstanceOf(InvalidCredentials);
  });

  it('suspends and reactivates a user, with reason and actor, and refuses a suspended login', async () => {
    const admin = (await guest.authenticate('admin@example.com', 'admin-password')) as { id: string; role: string };
    expect(admin.role).toBe('admin');
    const address = email();
    const { id } = await guest.registerUser(address, 'Ann', 'correct horse');
    const acting = await asAdmin(admin.id);
    await expect(acting.suspendUser(id, 'chargebacks', admin.id)).resolves.toMatchObject({ status: 'suspended' });
    await expect(guest.authenticate(address, 'correct horse')).rejects.toBeInstanceOf(AccountSuspended);
    await acting.reactivateUser(id, 'cleared', admin.id);
    await expect(guest.authenticate(address, 'correct horse')).resolves.toMatchObject({ id });
    await expect(acting.changeRole(id, 'support', admin.id)).resolves.toMatchObject({ role: 'support' });
  });

  it('finds users by email or name, a page at a time, and fetches many by id at once', async () => {
    const tag = randomUUID().slice(0, 8);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await guest.registerUser(`${tag}-${i}@example.com`, `Zed ${tag} ${i}`, 'correct horse')).id);
    const page = (await staff.findUsers(tag, 1, 2)) as { items: { id: string }[]; total: number };
    expect(page.total).toBe(3);
    expect(page.items).toHaveLength(2);
    const many = await staff.getUsersById([ids[2]!, randomUUID(), ids[0]!]);
    expect(many.map((u) => u.id)).toEqual([ids[2], ids[0]]);
  });

  it('refuses bad input to every endpoint, naming the field, and writes nothing', async () => {
    const before = await countUsers();
    const actor = randomUUID();
    const admin = await asAdmin(actor);
    const attempts: [string, () => Promise<unknown>][] = [
      ['email', () => guest.registerUser('nope', 'Ann', 'correct horse')],
      ['name', () => guest.registerUser(email(), 'x'.repeat(1000), 'correct horse')],
      ['password', () => guest.registerUser(email(), 'Ann', 7 as never)],
      ['email', () => guest.authenticate(['a'] as never, 'x')],
      ['userId', () => staff.getUser("1' OR '1'='1")],
      ['userIds', () => staff.getUsersById('all' as never)],
      ['pageSize', () => staff.findUsers(undefined, 1, 10_000)],
      ['reason', () => admin.suspendUser(randomUUID(), '', actor)],
      ['role', () => admin.changeRole(randomUUID(), 'root' as never, actor)],
    ];
    for (const [field, attempt] of attempts) {
      const error = (await attempt().catch((e: unknown) => e)) as BadRequest;
      expect(error).toBeInstanceOf(BadRequest);
      expect(error.details.map((d) => d.field.split('.')[0])).toContain(field);
    }
    await expect(staff.getUser(randomUUID())).rejects.toBeInstanceOf(NotFound);
    await expect(admin.suspendUser(randomUUID(), 'why', actor)).rejects.toBeInstanceOf(NotFound);
    expect(await countUsers()).toBe(before);
  });

  it('answers a call without an argument it needs with IncorrectSignature', async () => {
    const client = await clients({ contextData: await as({ sub: 'guest', role: 'guest' }) });
    const error = (await client.call('user', 'registerUser', ['a@b.co']).catch((e: unknown) => e)) as RemoteError;
    expect(error.message).toMatch(/missing 2 required arguments/);
  });

  it('refuses a call without a token, and a customer suspending anyone, before anything is written', async () => {
    const before = await countUsers();
    const { id } = await guest.registerUser(email(), 'Ann', 'correct horse');
    const anonymous = (await clients()).service<UserService>('user');
    await expect(anonymous.registerUser(email(), 'Eve', 'correct horse')).rejects.toBeInstanceOf(NotAuthorized);
    await expect(anonymous.findUsers(undefined, 1, 100)).rejects.toBeInstanceOf(NotAuthorized);
    const mallory = randomUUID();
    const asMallory = (await clients()).service<UserService>('user').$with({ contextData: await as({ sub: mallory, role: 'customer' }) });
    await expect(asMallory.suspendUser(id, 'spite', mallory)).rejects.toBeInstanceOf(Forbidden);
    await expect(asMallory.getUser(id)).rejects.toBeInstanceOf(Forbidden);
    expect(await staff.getUser(id)).toMatchObject({ status: 'active' });
    expect(await countUsers()).toBe(before + 1);
  });
});
