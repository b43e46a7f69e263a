import { DEFAULT_RATE_LIMITS, type Facade, parseRateLimit, type RateLimits, rateLimitsFromConfig } from '../src';
import { testFacade } from './support/test-facade';


/** A facade with a public POST /login under the `login` limit and POST /pay under `payment`. */
async function facade(rateLimits?: RateLimits) {
  const app = await testFacade({ rateLimits });
  app.post('/login', { config: { access: 'public', limit: 'login' } }, async () => ({ ok: true }));
  app.post('/pay', { config: { access: 'public', limit: 'payment' } }, async () => ({ ok: true }));
  app.post('/browse', { config: { access: 'public' } }, async () => ({ ok: true }));
  return app;
}

/** The status codes of `count` requests in a row. */
async function statuses(app: Facade, url: string, count: number): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < count; i++) codes.push((await app.inject({ method: 'POST', url })).statusCode);
  return codes;
}

const allowed = (count: number) => Array<number>(count).fill(200);

describe('rate limits', () => {
  test('past the limit a route answers 429 in the one error shape, with retry-after', async () => {
    const app = await facade({ login: { max: 2, timeWindow: '1 minute' } });
    expect(await statuses(app, '/login', 2)).toEqual(allowed(2));
    const res = await app.inject({ method: 'POST', url: '/login' });
    expect(res.statusCode).toBe(429);
    expect(res.json()).toEqual({ error: 'TOO_MANY_REQUESTS', message: expect.stringMatching(/^too many requests: try again in (1 minute|\d+ seconds?)$/), details: [] });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.headers['x-ratelimit-limit']).toBe('2');
    expect(res.headers['x-ratelimit-remaining']).toBe('0');
  });

  test('by default login allows 10 a minute and payment 20', async () => {
    expect(DEFAULT_RATE_LIMITS).toEqual({ login: { max: 10, timeWindow: '1 minute' }, payment: { max: 20, timeWindow: '1 minute' } });
    const app = await facade();
    expect(await statuses(app, '/login', 11)).toEqual([...allowed(10), 429]);
    expect(await statuses(app, '/pay', 21)).toEqual([...allowed(20), 429]);
  });

  test('a configured limit replaces the default, and the other limit keeps its own', async () => {
    const app = await facade({ payment: { max: 3, timeWindow: 10_000 } });
    expect(await statuses(app, '/pay', 4)).toEqual([...allowed(3), 429]);
    expect(await statuses(app, '/login', 11)).toEqual([...allowed(10), 429]);
  });

  test('a limit that is off lets every request through, with no rate headers', async () => {
    const app = await facade({ login: false });
    expect(await statuses(app, '/login', 30)).toEqual(allowed(30));
    expect((await app.inject({ method: 'POST', url: '/login' })).headers['x-ratelimit-limit']).toBeUndefined();
    expect(await statuses(app, '/pay', 21)).toEqual([...allowed(20), 429]);
  });

  test('a route that names no limit is not limited', async () => {
    const app = await facade({ login: { max: 1, timeWindow: '1 minute' } });
    expect(await statuses(app, '/browse', 30)).toEqual(allowed(30));
  });

  test('a route naming a limit that does not exist is refused when it is added', async () => {
    const app = await facade();
    expect(() => app.post('/other', { config: { access: 'public', limit: 'signup' as 'login' } }, async () => ({}))).toThrow(
      "POST /other names the rate limit 'signup': there are login, payment",
    );
  });

  test.each([
    [{ login: { max: 0, timeWindow: '1 minute' } }, /rateLimits\.login\.max is 0/],
    [{ payment: { max: 1.5, timeWindow: '1 minute' } }, /rateLimits\.payment\.max is 1\.5/],
    [{ login: { max: 5, timeWindow: 'a while' } }, /rateLimits\.login\.timeWindow is "a while"/],
    [{ login: { max: 5, timeWindow: -1 } }, /rateLimits\.login\.timeWindow is -1/],
  ])('a facade given %j is refused, naming the option', async (rateLimits, message) => {
    await expect(facade(rateLimits as RateLimits)).rejects.toThrow(message);
  });
});

describe('parseRateLimit', () => {
  test.each([
    ['10/minute', { max: 10, timeWindow: 60_000 }],
    ['100/10 seconds', { max: 100, timeWindow: 10_000 }],
    [' 5 / 2h ', { max: 5, timeWindow: 7_200_000 }],
    ['1/day', { max: 1, timeWindow: 86_400_000 }],
    ['50/500ms', { max: 50, timeWindow: 500 }],
    ['off', false],
    ['OFF', false],
  ])('reads %j', (text, limit) => {
    expect(parseRateLimit(text, 'LOGIN_RATE_LIMIT')).toEqual(limit);
  });

  test.each(['', 'ten/minute', '10', '10/', '/minute', '0/minute', '-1/minute', '10/fortnight', '10/0 seconds', '10/1.5 minutes', 'none', 10, false])(
    'refuses %j, naming the variable and the format',
    (value) => {
      expect(() => parseRateLimit(value, 'WEB_LOGIN_RATE_LIMIT')).toThrow(
        `WEB_LOGIN_RATE_LIMIT is ${JSON.stringify(String(value))}: expected <max>/<window> such as 10/minute or 100/10 seconds, or off`,
      );
    },
  );
});

describe('rateLimitsFromConfig', () => {
  test('nothing set (absent or empty) keeps every default', () => {
    expect(rateLimitsFromConfig({}, 'web')).toEqual({});
    expect(rateLimitsFromConfig({ LOGIN_RATE_LIMIT: '', WEB_PAYMENT_RATE_LIMIT: '' }, 'web')).toEqual({});
  });

  test('LOGIN_RATE_LIMIT and PAYMENT_RATE_LIMIT apply to every facade', () => {
    const config = { LOGIN_RATE_LIMIT: '5/minute', PAYMENT_RATE_LIMIT: 'off' };
    expect(rateLimitsFromConfig(config, 'web')).toEqual({ login: { max: 5, timeWindow: 60_000 }, payment: false });
    expect(rateLimitsFromConfig(config, 'admin')).toEqual({ login: { max: 5, timeWindow: 60_000 }, payment: false });
  });

  test('<NAME>_LOGIN_RATE_LIMIT is for that facade alone and wins over LOGIN_RATE_LIMIT', () => {
    const config = { LOGIN_RATE_LIMIT: '5/minute', ADMIN_LOGIN_RATE_LIMIT: '3/10 minutes', SUPPORT_LOGIN_RATE_LIMIT: '' };
    expect(rateLimitsFromConfig(config, 'admin')).toEqual({ login: { max: 3, timeWindow: 600_000 } });
    expect(rateLimitsFromConfig(config, 'web')).toEqual({ login: { max: 5, timeWindow: 60_000 } });
    expect(rateLimitsFromConfig(config, 'support')).toEqual({ login: { max: 5, timeWindow: 60_000 } });
  });

  test('nonsense is refused naming the variable it came from', () => {
    expect(() => rateLimitsFromConfig({ PAYMENT_RATE_LIMIT: '20 per minute' }, 'web')).toThrow(/^PAYMENT_RATE_LIMIT is "20 per minute"/);
    expect(() => rateLimitsFromConfig({ LOGIN_RATE_LIMIT: '5/minute', WEB_LOGIN_RATE_LIMIT: 'lots' }, 'web')).toThrow(/^WEB_LOGIN_RATE_LIMIT is "lots"/);
  });
});
