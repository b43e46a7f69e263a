import { createSigner } from 'fast-jwt';
import { buildFacade, type RpcClient } from '../src';
import { FakeRpc, facadeFactory } from '../src/testing';

const SECRET = 'auth-secret-auth-secret-auth-secret';

async function buildMeApp(options: { rpcClient: RpcClient; jwtSecret: string }) {
  const app = await buildFacade({ name: 'auth-test', audience: 'auth-test', ...options });
  app.get('/me', { config: { access: ['customer'] } }, async (request) => ({ id: request.user.id }));
  return app;
}

const meApp = facadeFactory(buildMeApp, { jwtSecret: SECRET });
const sign = (options: { key?: string; expiresInMs?: number } = {}) =>
  createSigner({ key: options.key ?? SECRET, aud: 'auth-test', expiresIn: options.expiresInMs ?? 60_000 })({ sub: 'u1', role: 'customer' });

describe('a facade’s token check', () => {
  it('refuses a token once it has expired, though it took it before', async () => {
    const { app } = await meApp(new FakeRpc());
    const token = sign({ expiresInMs: 1500 });
    const headers = { authorization: `Bearer ${token}` };
    expect((await app.inject({ url: '/me', headers })).statusCode).toBe(200);
    expect((await app.inject({ url: '/me', headers })).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const late = await app.inject({ url: '/me', headers });
    expect(late.statusCode).toBe(401);
    expect(late.json().message).toMatch(/expired/);
  });

  it('refuses a forged token of a caller whose good token it took', async () => {
    const { app } = await meApp(new FakeRpc());
    expect((await app.inject({ url: '/me', headers: { authorization: `Bearer ${sign()}` } })).statusCode).toBe(200);
    const forged = sign({ key: 'another-secret-another-secret-1234' });
    expect((await app.inject({ url: '/me', headers: { authorization: `Bearer ${forged}` } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/me', headers: { authorization: `Bearer ${forged}` } })).statusCode).toBe(401);
  });
});
