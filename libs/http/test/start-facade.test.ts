import { ErrorRegistry, type ServiceConfig } from '@platform/shimeji';
import { facadeAccessConfig, testBrokerUri } from '@platform/shimeji/testing';
import { buildFacade, type FacadeBuildOptions, startFacade, type StartedFacade } from '../src';

const started: StartedFacade[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((facade) => facade.close()));
});

/** Starts facade `web` on the config (a fresh in-memory broker), recording what its builder was given. */
async function start(config: ServiceConfig) {
  const given: FacadeBuildOptions[] = [];
  const build = async (options: FacadeBuildOptions) => {
    given.push(options);
    const app = await buildFacade({ name: 'web', audience: 'web', ...options, logger: false });
    app.post('/login', { config: { access: 'public', limit: 'login' } }, async () => ({ ok: true }));
    return app;
  };
  const facade = await startFacade('web', build, new ErrorRegistry(), {
    config: { ...facadeAccessConfig(), AMQP_URI: testBrokerUri('memory'), JWT_SECRET: 'shared-secret-shared-secret-shared', ...config },
    port: 0,
    host: '127.0.0.1',
  });
  started.push(facade);
  return { facade, given: given[0]! };
}

describe('startFacade', () => {
  test('with nothing configured the builder gets no rate limits, so the defaults hold', async () => {
    const { given } = await start({});
    expect(given.rateLimits).toEqual({});
  });

  test('reads the rate limits from the config, <NAME>_LOGIN_RATE_LIMIT over LOGIN_RATE_LIMIT', async () => {
    const { facade, given } = await start({ LOGIN_RATE_LIMIT: '5/minute', WEB_LOGIN_RATE_LIMIT: '1/10 seconds', PAYMENT_RATE_LIMIT: 'off' });
    expect(given.rateLimits).toEqual({ login: { max: 1, timeWindow: 10_000 }, payment: false });
    expect((await fetch(`${facade.url}/login`, { method: 'POST' })).status).toBe(200);
    const limited = await fetch(`${facade.url}/login`, { method: 'POST' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: 'TOO_MANY_REQUESTS' });
  });

  test('a rate limit it cannot read stops the start, naming the variable, before anything is built', async () => {
    const build = jest.fn();
    const config = { AMQP_URI: testBrokerUri('memory'), JWT_SECRET: 'shared-secret-shared-secret-shared', PAYMENT_RATE_LIMIT: '20 a minute' };
    await expect(startFacade('web', build, new ErrorRegistry(), { config, port: 0, host: '127.0.0.1' })).rejects.toThrow(
      'PAYMENT_RATE_LIMIT is "20 a minute": expected <max>/<window> such as 10/minute or 100/10 seconds, or off',
    );
    expect(build).not.toHaveBeenCalled();
  });

  test('logs at the config’s logLevel, as the services in the same process do', async () => {
    expect((await start({ logLevel: 'warn' })).given.logger).toEqual({ level: 'warn' });
    expect((await start({ logLevel: 'debug' })).given.logger).toEqual({ level: 'debug' });
  });

  test('<NAME>_JWT_SECRET is the facade’s own key, over JWT_SECRET', async () => {
    expect((await start({})).given.jwtSecret).toBe('shared-secret-shared-secret-shared');
    expect((await start({ WEB_JWT_SECRET: 'own-secret-own-secret-own-secret-own' })).given.jwtSecret).toBe('own-secret-own-secret-own-secret-own');
  });
});
