import { createDecoder } from 'fast-jwt';
import { buildFacade, type Facade, type LogOptions, type RpcClient } from '../src';
import { FakeRpc, facadeFactory, facadeUnderTest, tokenSigner } from '../src/testing';
import { shopFacade } from './support/shop-facade';

const SECRET = 'test-secret-test-secret-test-secret';
const closed: string[] = [];

/** A facade as an app package builds one: GET /me for customers, answered over RPC. */
async function buildTestApp(options: { rpcClient: RpcClient; jwtSecret: string; logger?: LogOptions | false; bodyLimit?: number }) {
  const app = await buildFacade({ name: 'test', audience: 'test', ...options });
  app.get('/me', { config: { access: ['customer'] } }, async (request) => request.rpc.call('user', 'getUser', [request.user.id]));
  app.addHook('onClose', async () => {
    closed.push(expect.getState().currentTestName ?? '');
  });
  return app;
}

const testApp = facadeFactory(buildTestApp, { jwtSecret: SECRET });
const { tokenWith, bearer } = tokenSigner({ secret: SECRET, audience: 'test', sub: 'u1', role: 'customer' });

describe('tokenSigner', () => {
  const decode = createDecoder();

  test('signs for its audience and default caller, each part replaceable', () => {
    expect(decode(tokenWith())).toMatchObject({ aud: 'test', sub: 'u1', role: 'customer' });
    expect(decode(tokenWith({ aud: 'admin', sub: 'u2', role: 'admin' }))).toMatchObject({ aud: 'admin', sub: 'u2', role: 'admin' });
    const { iat, exp } = decode(tokenWith({ expired: true })) as { iat: number; exp: number };
    expect(exp).toBeLessThan(Date.now() / 1000);
    expect(exp - iat).toBe(3600);
    expect(bearer('abc')).toEqual({ authorization: 'Bearer abc' });
  });

  test('its tokens open a facade of its audience; expired, foreign-key and other-audience ones do not', async () => {
    const { app, rpc } = await testApp(new FakeRpc().answer('user.getUser', (id: string) => ({ id })));
    expect((await app.inject({ url: '/me', headers: bearer() })).json()).toEqual({ id: 'u1' });
    for (const token of [tokenWith({ expired: true }), tokenWith({ key: 'another-secret-another-secret-123' }), tokenWith({ aud: 'web' })]) {
      expect((await app.inject({ url: '/me', headers: bearer(token) })).statusCode).toBe(401);
    }
    expect((await app.inject({ url: '/me', headers: bearer(tokenWith({ role: 'admin' })) })).statusCode).toBe(403);
    expect(rpc.called('user.getUser')).toHaveLength(1);
  });
});

describe('facadeFactory', () => {
  test('makes a ready app on a new FakeRpc with the test key, options over the defaults', async () => {
    const { app, rpc } = await testApp(undefined, { bodyLimit: 10 });
    expect(rpc).toBeInstanceOf(FakeRpc);
    expect((app as Facade).initialConfig.bodyLimit).toBe(10);
    // 500, not 401: the token was let in, and the fake has no answer for the call.
    expect((await app.inject({ url: '/me', headers: bearer() })).statusCode).toBe(500);
    expect(rpc.called('user.getUser')[0]!.args).toEqual(['u1']);
  });

  test('closed the apps of the test before', () => {
    expect(closed).toEqual(['tokenSigner its tokens open a facade of its audience; expired, foreign-key and other-audience ones do not', expect.stringMatching(/^facadeFactory makes a ready app/)]);
  });
});

describe('facadeUnderTest', () => {
  const facade = shopFacade({ whoAmI: true });
  const shop = facadeUnderTest(facade, { sub: 'u7', role: 'customer' });

  test('builds the facade on a fake RPC client, taking tokens for its audience and default caller', async () => {
    const { app, rpc } = await shop.app(new FakeRpc().answer('user.getUser', (id: string) => ({ id })));
    const res = await app.inject({ url: '/me', headers: shop.bearer() });
    expect(res.json()).toEqual({ id: 'u7' });
    expect(rpc.calls).toHaveLength(1);
    expect((await app.inject({ url: '/me', headers: shop.bearer(shop.tokenWith({ aud: 'admin' })) })).statusCode).toBe(401);
  });
});
