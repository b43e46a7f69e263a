// Rate limits over real HTTP: each facade's login answers 429 past its limit without asking the
// user service, on the default limit, on one set by the config as `npm start` reads it, and the
// payment routes' limit alike. Each test starts facade instances of its own: the counts are kept
// per instance, and the shared ones stay within their budget for the other tests.
import { facadeAccessConfig, testBrokerUri } from '@platform/shimeji/testing';
import { startFacade as startWebFacade } from '@platform/web';
import type { Reply } from './client';
import { ADMIN, type FacadeName, JWT_SECRET, PASSWORD, SUPPORT, usePlatform } from './harness';

const DEFAULT_LOGIN_LIMIT = 10;

function expectTooMany(reply: Reply): void {
  expect(reply.status).toBe(429);
  expect(reply.body).toEqual({ error: 'TOO_MANY_REQUESTS', message: expect.any(String), details: [] });
  expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
}

describe('rate limits', () => {
  const platform = usePlatform();

  it.each(['web', 'admin', 'support'] as FacadeName[])(
    'the %s facade’s login answers 429 after 10 a minute, asking no service',
    async (name) => {
      const account = name === 'admin' ? ADMIN : name === 'support' ? SUPPORT : { email: (await platform.signUp('Ann')).email, password: PASSWORD };
      const facade = await platform.startFacade(name);

      for (let attempt = 1; attempt <= DEFAULT_LOGIN_LIMIT; attempt++) {
        const reply = await facade.post('/login', account);
        expect({ attempt, status: reply.status }).toEqual({ attempt, status: 200 });
        expect(reply.headers.get('x-ratelimit-remaining')).toBe(String(DEFAULT_LOGIN_LIMIT - attempt));
      }
      const refused = await facade.post('/login', account);
      expectTooMany(refused);
      expect(refused.rpcCalls).toEqual([]);
      // wrong passwords count alike: guessing gets no further
      expectTooMany(await facade.post('/login', { ...account, password: 'guess guess guess' }));

      // the limit is on logging in, not on the facade: a token still works there
      const token = await platform[name].login(account.email, account.password);
      expect((await facade.get(name === 'admin' ? '/users' : '/me', token)).status).toBe(200);
    },
  );

  it('takes the web facade’s login limit from WEB_LOGIN_RATE_LIMIT, as npm start reads it', async () => {
    const ann = await platform.signUp('Ann');
    const logLevel = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'silent'; // read when the app is built: no request logs in the test output
    const started = await startWebFacade({
      config: { ...facadeAccessConfig(), AMQP_URI: testBrokerUri(), JWT_SECRET, WEB_LOGIN_RATE_LIMIT: '3/minute', LOGIN_RATE_LIMIT: '50/minute' },
      port: 0,
      host: '127.0.0.1',
    }).finally(() => {
      if (logLevel === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = logLevel;
    });
    try {
      const login = () => fetch(`${started.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ann.email, password: PASSWORD }),
      });
      for (let attempt = 1; attempt <= 3; attempt++) expect((await login()).status).toBe(200);
      const refused = await login();
      expect(refused.status).toBe(429);
      expect(await refused.json()).toEqual({ error: 'TOO_MANY_REQUESTS', message: expect.any(String), details: [] });
    } finally {
      await started.close();
    }
  });

  it('answers 429 on the payment routes past their limit, saving no card', async () => {
    const ann = await platform.signUp('Ann');
    const web = await platform.startFacade('web', { rateLimits: { payment: { max: 2, timeWindow: '1 minute' } } });
    // Two cards: the same token twice would be one card (adding a card is idempotent).
    for (const token of ['pm_card_visa', 'pm_card_mastercard']) expect((await web.post('/payment-methods', { token }, ann.token)).status).toBe(201);

    const refused = await web.post('/payment-methods', { token: 'pm_card_amex' }, ann.token);
    expectTooMany(refused);
    expect(refused.rpcCalls).toEqual([]);
    expect((await web.get('/payment-methods', ann.token)).body).toHaveLength(2);
  });
});
