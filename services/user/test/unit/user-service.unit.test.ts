// The user service's endpoints with fake storage: no database, no broker.
import { AlreadyExists, ConcurrencyConflict, NotFound } from '@platform/db';
import { createFake, workerFactory } from '@platform/shimeji/testing';
import type { UserRow } from '../../src/dependencies/db';
import { PasswordHasher, passwordHasherFrom } from '../../src/dependencies/passwords';
import * as exc from '../../src/exceptions';
import { UserService } from '../../src/service';

const hasher = new PasswordHasher(1024);
const ID = '6a1e0c0e-3f7e-4b36-9a58-8c5d1b8e2f01';
const ACTOR = '0b3c1d2e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';

async function row(overrides: Partial<UserRow> = {}): Promise<UserRow> {
  return {
    id: ID,
    email: 'ann@example.com',
    name: 'Ann',
    role: 'customer',
    status: 'active',
    password_hash: await hasher.hash('correct horse'),
    version: 1,
    created_at: new Date('2026-01-01T00:00:00Z'),
    updated_at: new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  };
}

function fakeDb(users: Record<string, unknown>) {
  return { users, NotFound, AlreadyExists, ConcurrencyConflict };
}

function worker(users: Record<string, unknown>) {
  const dispatch = createFake('dispatch');
  return { service: workerFactory(UserService, { db: fakeDb(users), passwords: hasher, dispatch }), dispatch };
}

describe('registering a user', () => {
  it('stores a hash, never the password, and announces the user without it', async () => {
    const add = createFake().implement(async (user: unknown) => ({ ...(user as object), status: 'active', version: 1, created_at: new Date() }));
    const { service, dispatch } = worker({ add });
    const user = await service.registerUser('Ann@Example.com ', 'Ann', 'correct horse');
    expect(user).toMatchObject({ email: 'ann@example.com', name: 'Ann', role: 'customer', status: 'active' });
    expect(JSON.stringify(user)).not.toMatch(/password|correct horse|scrypt/);
    const stored = add.calls[0]![0] as { password_hash: string };
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    expect(dispatch.calls).toEqual([['user_registered', { user }]]);
    expect(JSON.stringify(dispatch.calls)).not.toMatch(/scrypt|correct horse/);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const add = createFake();
    const { service } = worker({ add });
    const error = (await service.registerUser('not-an-email', '', 'short').catch((e: unknown) => e)) as exc.BadRequest;
    expect(error).toBeInstanceOf(exc.BadRequest);
    expect(error.details.map((d) => d.field).sort()).toEqual(['email', 'name', 'password']);
    await expect(service.registerUser(42 as never, 'Ann', 'correct horse')).rejects.toBeInstanceOf(exc.BadRequest);
    await expect(service.registerUser('a@b.co', 'x'.repeat(101), 'correct horse')).rejects.toThrow(/name/);
    expect(add.calls).toEqual([]);
  });

  it('refuses an email that is registered already', async () => {
    const { service } = worker({
      add: async () => {
        throw new AlreadyExists('taken');
      },
    });
    await expect(service.registerUser('ann@example.com', 'Ann', 'correct horse')).rejects.toBeInstanceOf(exc.EmailAlreadyRegistered);
  });
});

describe('authenticating', () => {
  it('returns the user for the right password', async () => {
    const stored = await row();
    const { service } = worker({ getByEmail: async () => stored });
    await expect(service.authenticate('ann@example.com', 'correct horse')).resolves.toMatchObject({ id: ID });
  });

  it('gives the same InvalidCredentials for a wrong password and for an unknown email', async () => {
    const stored = await row();
    const known = worker({ getByEmail: async () => stored }).service;
    const unknown = worker({
      getByEmail: async () => {
        throw new NotFound('none');
      },
    }).service;
    const wrongPassword = await known.authenticate('ann@example.com', 'wrong horse').catch((e: Error) => e);
    const noSuchUser = await unknown.authenticate('bob@example.com', 'wrong horse').catch((e: Error) => e);
    expect(wrongPassword).toEqual(new exc.InvalidCredentials('wrong email or password'));
    expect(noSuchUser).toEqual(wrongPassword);
  });

  it('refuses a suspended user with the right password', async () => {
    const stored = await row({ status: 'suspended' });
    const { service } = worker({ getByEmail: async () => stored });
    await expect(service.authenticate('ann@example.com', 'correct horse')).rejects.toBeInstanceOf(exc.AccountSuspended);
  });
});

describe('suspending and changing roles', () => {
  it('suspends with a reason and an actor, and announces it', async () => {
    const stored = await row();
    const change = createFake().implement(async (_user: unknown, changes: unknown) => ({ ...stored, ...(changes as object), version: 2 }));
    const { service, dispatch } = worker({ getById: async () => stored, change });
    const user = await service.suspendUser(ID, 'fraud suspected', ACTOR);
    expect(user.status).toBe('suspended');
    expect(change.calls[0]!.slice(1)).toEqual([{ status: 'suspended' }, { change: 'suspended', reason: 'fraud suspected', actorId: ACTOR }]);
    expect(dispatch.calls[0]![0]).toBe('user_suspended');
  });

  it('gives a user another role and announces it, with who did it', async () => {
    const stored = await row();
    const change = createFake().implement(async (_user: unknown, changes: unknown) => ({ ...stored, ...(changes as object), version: 2 }));
    const { service, dispatch } = worker({ getById: async () => stored, change });
    const user = await service.changeRole(ID, 'support', ACTOR);
    expect(user.role).toBe('support');
    expect(dispatch.calls).toEqual([['user_role_changed', { user, actor: { id: ACTOR } }]]);
  });

  it('says so when the user changed meanwhile', async () => {
    const stored = await row();
    const { service } = worker({
      getById: async () => stored,
      change: async () => {
        throw new ConcurrencyConflict('moved on');
      },
    });
    await expect(service.changeRole(ID, 'admin', ACTOR)).rejects.toBeInstanceOf(exc.ConcurrentChange);
  });

  it('refuses an unknown role or a malformed id, naming the field', async () => {
    const { service } = worker({ getById: createFake() });
    await expect(service.changeRole(ID, 'king' as never, ACTOR)).rejects.toThrow(/role/);
    await expect(service.getUser('nope')).rejects.toThrow(/userId/);
  });
});

describe('password hashes', () => {
  it('are made at OWASP’s minimum for scrypt unless the config asks otherwise', async () => {
    await expect(new PasswordHasher().hash('correct horse')).resolves.toMatch(/^scrypt\$131072\$8\$1\$/);
    await expect(passwordHasherFrom({}).hash('correct horse')).resolves.toMatch(/^scrypt\$131072\$8\$1\$/);
  });

  it('may be cheaper outside production, for tests, but never under NODE_ENV=production', () => {
    const before = process.env.NODE_ENV;
    try {
      process.env.NODE_ENV = 'test';
      expect(passwordHasherFrom({ PASSWORD_SCRYPT_COST: 1024 })).toBeInstanceOf(PasswordHasher);
      expect(() => passwordHasherFrom({ PASSWORD_SCRYPT_COST: 1000 })).toThrow(/PASSWORD_SCRYPT_COST is 1000: expected a power of two of at least 1024/);
      process.env.NODE_ENV = 'production';
      expect(() => passwordHasherFrom({ PASSWORD_SCRYPT_COST: 16384 })).toThrow(/PASSWORD_SCRYPT_COST is 16384: under NODE_ENV=production expected at least 131072/);
      expect(passwordHasherFrom({ PASSWORD_SCRYPT_COST: 262144 })).toBeInstanceOf(PasswordHasher);
    } finally {
      process.env.NODE_ENV = before;
    }
  });

  it('made with weaker parameters are upgraded at the next good login, and only then', async () => {
    const stronger = new PasswordHasher(2048);
    const weak = await row({ password_hash: await new PasswordHasher(1024).hash('correct horse') });
    const upgradePasswordHash = createFake();
    const users = { getByEmail: createFake().implement(async () => weak), upgradePasswordHash };
    const service = workerFactory(UserService, { db: fakeDb(users), passwords: stronger, dispatch: createFake() });

    await expect(service.authenticate('ann@example.com', 'wrong horse')).rejects.toBeInstanceOf(exc.InvalidCredentials);
    expect(upgradePasswordHash.calls).toEqual([]);
    await service.authenticate('ann@example.com', 'correct horse');
    expect(upgradePasswordHash.calls).toEqual([[weak, expect.stringMatching(/^scrypt\$2048\$8\$1\$/)]]);
    const rehashed = upgradePasswordHash.calls[0]![1] as string;
    await expect(stronger.verify('correct horse', rehashed)).resolves.toBe(true);
    expect(stronger.needsUpgrade(rehashed)).toBe(false);
  });
});
