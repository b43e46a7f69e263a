// Services trust no caller: every call's access token is checked against the method's rule before
// a worker runs, and the worker acts for the verified caller (or for its own service).
import {
  CallerIdentity,
  ClusterEventDispatcher,
  EventDispatcher,
  eventHandler,
  ErrorRegistry,
  Forbidden,
  type Identity,
  inject,
  NotAuthorized,
  rpc,
  RpcProxy,
  service,
  ServiceContainer,
  type ServiceProxy,
} from '../../src';
import {
  accessConfig,
  accessToken,
  as,
  ed25519Pair,
  rpcClientFactory,
  serviceToken,
  type TestCaller,
  testAccessKeys,
  testBrokerUri,
  eventually,
} from '../../src/testing';

const ran: string[] = [];
const seen: Identity[] = [];

@service('ledger')
class Ledger {
  caller = inject(new CallerIdentity());

  @rpc({ allow: { roles: ['admin', 'service'], self: 'ownerId' } })
  async balance(ownerId: string): Promise<number> {
    ran.push(`balance ${ownerId}`);
    seen.push(this.caller);
    return 42;
  }

  @rpc({ allow: { roles: ['admin'], actor: 'actorId' } })
  async correct(entryId: string, actorId: string): Promise<string> {
    ran.push(`correct ${entryId} by ${actorId}`);
    return 'corrected';
  }

  @rpc({ allow: 'anyone' })
  async ping(): Promise<string> {
    seen.push(this.caller);
    return 'pong';
  }
}

@service('till')
class Till {
  ledger = inject(new RpcProxy<Ledger>('ledger'));
  dispatch = inject(new EventDispatcher());

  @rpc({ allow: ['customer', 'admin'] })
  async checkBalance(ownerId: string): Promise<number> {
    await this.dispatch('balance_checked', { ownerId });
    return this.ledger.balance(ownerId);
  }

  @eventHandler('bank', 'day_closed')
  async closeDay(payload: { ownerId: string }): Promise<void> {
    await this.ledger.balance(payload.ownerId);
  }
}

const errors = new ErrorRegistry();

describe('access tokens on every call', () => {
  const uri = testBrokerUri('memory');
  const clients = rpcClientFactory({ uri, errors });
  const containers: ServiceContainer[] = [];
  const start = async (cls: new () => object, config = accessConfig()) => {
    const container = new ServiceContainer(cls, { AMQP_URI: uri, logLevel: 'silent', ...config });
    await container.start();
    containers.push(container);
    return container;
  };

  beforeAll(async () => {
    await start(Ledger);
    await start(Till);
  });

  afterAll(async () => {
    await Promise.all(containers.map((c) => c.stop()));
  });

  beforeEach(() => {
    ran.length = 0;
    seen.length = 0;
  });

  const ledgerAs = async (caller?: TestCaller): Promise<ServiceProxy<Ledger>> =>
    (await clients(caller ? { contextData: await as(caller) } : {})).service<Ledger>('ledger');
  const refusal = (call: Promise<unknown>) => call.then(() => undefined, (error: unknown) => error);

  const admin: TestCaller = { sub: 'u-admin', role: 'admin', audience: 'admin' };

  it('serves a caller whose role the rule allows, and tells the worker who called', async () => {
    expect(await (await ledgerAs(admin)).balance('u-1')).toBe(42);
    expect(seen[0]).toMatchObject({ sub: 'u-admin', role: 'admin', kind: 'user', audience: 'admin' });
  });

  it('lets a user read their own data through the self rule, and no one else’s', async () => {
    const alice: TestCaller = { sub: 'u-alice', role: 'customer' };
    expect(await (await ledgerAs(alice)).balance('u-alice')).toBe(42);
    expect(await refusal((await ledgerAs(alice)).balance('u-bob'))).toBeInstanceOf(Forbidden);
    expect(ran).toEqual(['balance u-alice']);
  });

  it.each<[string, () => Promise<TestCaller | undefined>, typeof NotAuthorized | typeof Forbidden, RegExp]>([
    ['no token', async () => undefined, NotAuthorized, /no access token/],
    ['an expired token', async () => ({ ...admin, ttlMs: -60_000 }), NotAuthorized, /expired/],
    ['a token signed with another key', async () => ({ ...admin, privateKey: ed25519Pair().privateKey }), NotAuthorized, /does not trust/],
    ['a token for another audience', async () => ({ ...admin, audience: 'partner-portal' }), NotAuthorized, /audience/],
    ['a user token claiming the service role', async () => ({ ...admin, role: 'service' }), NotAuthorized, /service role/],
    ['a role the rule does not allow', async () => ({ ...admin, role: 'support' }), Forbidden, /role support/],
  ])('refuses %s before any worker runs', async (_case, caller, refusedWith, reason) => {
    const error = await refusal((await ledgerAs(await caller())).balance('u-1'));
    expect(error).toBeInstanceOf(refusedWith);
    expect((error as Error).message).toMatch(reason);
    expect(ran).toEqual([]);
  });

  it('refuses a token that is not a JWT, without echoing it', async () => {
    const client = await clients({ contextData: { auth_token: 'not-a-jwt-secret-ish' } });
    const error = (await refusal(client.call('ledger', 'balance', ['u-1']))) as Error;
    expect(error).toBeInstanceOf(NotAuthorized);
    expect(error.message).not.toContain('secret-ish');
  });

  it('refuses an admin acting in another admin’s name', async () => {
    const ledger = await ledgerAs(admin);
    expect(await ledger.correct('e-1', 'u-admin')).toBe('corrected');
    const error = (await refusal(ledger.correct('e-2', 'u-other-admin'))) as Error;
    expect(error).toBeInstanceOf(Forbidden);
    expect(error.message).toMatch(/actorId must be the caller's own id/);
    expect(ran).toEqual(['correct e-1 by u-admin']);
  });

  it('takes a service token for the service role, and refuses a service key vouching for an admin', async () => {
    const ownToken = await serviceToken('auditor');
    expect(await (await clients({ contextData: { auth_token: ownToken } })).call('ledger', 'balance', ['u-1'])).toBe(42);
    expect(seen[0]).toMatchObject({ sub: 'service:auditor', role: 'service', kind: 'service' });
    const forged = await accessToken({ ...admin, privateKey: testAccessKeys().services.privateKey });
    const error = await refusal((await clients({ contextData: { auth_token: forged } })).call('ledger', 'balance', ['u-1']));
    expect(error).toBeInstanceOf(NotAuthorized);
  });

  it('passes the caller’s token on to the services its worker calls', async () => {
    const till = (await clients({ contextData: await as({ sub: 'u-alice', role: 'customer' }) })).service<Till>('till');
    // The ledger sees Alice, who may read her own balance, not the till.
    expect(await till.checkBalance('u-alice')).toBe(42);
    expect(seen[0]).toMatchObject({ sub: 'u-alice', kind: 'user' });
    expect(await refusal(till.checkBalance('u-bob'))).toBeInstanceOf(Forbidden);
  });

  it('acts as its own service in work no caller started, whatever token the event carried', async () => {
    const dispatcher = await ClusterEventDispatcher.connect({ uri });
    try {
      // A customer's token smuggled into the event's headers must not become the handler's identity.
      await dispatcher.dispatch('bank', 'day_closed', { ownerId: 'u-bob' }, await as({ sub: 'u-alice', role: 'customer' }));
      await eventually('the handler to read the balance', () => (ran.length > 0 ? true : undefined));
      expect(ran).toEqual(['balance u-bob']);
      expect(seen[0]).toMatchObject({ sub: 'service:till', role: 'service', kind: 'service' });
    } finally {
      await dispatcher.close();
    }
  });
});

describe('a service that checks access tokens', () => {
  const uri = testBrokerUri('memory');

  @service('half-open')
  class HalfOpen {
    @rpc({ allow: ['admin'] })
    async guarded(): Promise<void> {}

    @rpc
    async forgotten(): Promise<void> {}
  }

  @service('typo')
  class Typo {
    @rpc({ allow: { self: 'userID' } })
    async read(userId: string): Promise<string> {
      return userId;
    }
  }

  const startFails = async (cls: new () => object, config: Record<string, unknown>) => {
    const container = new ServiceContainer(cls, { AMQP_URI: uri, logLevel: 'silent', ...config });
    const error = await container.start().then(() => undefined, (e: Error) => e);
    await container.stop();
    return error;
  };

  it('refuses to start while one of its methods declares no rule', async () => {
    expect((await startFails(HalfOpen, accessConfig()))?.message).toMatch(/every @rpc declares who may call it: forgotten declare/);
  });

  it('refuses to start without the facades’ public keys, naming the setting', async () => {
    @service('keyless')
    class Keyless {
      @rpc({ allow: 'anyone' })
      async hello(): Promise<string> {
        return 'hi';
      }
    }
    expect((await startFails(Keyless, {}))?.message).toMatch(/ACCESS_USER_PUBLIC_KEYS is not set/);
  });

  it('refuses to start when a rule names an argument the method does not have', async () => {
    expect((await startFails(Typo, accessConfig()))?.message).toMatch(/allow.self names "userID", which is not one of its arguments \(userId\)/);
  });

  it('refuses to start calling others without a key of its own, naming the setting', async () => {
    const { ACCESS_SERVICE_SIGNING_KEY: _key, ...withoutOwnKey } = accessConfig();
    expect((await startFails(Till, withoutOwnKey))?.message).toMatch(/set ACCESS_SERVICE_SIGNING_KEY/);
  });
});
