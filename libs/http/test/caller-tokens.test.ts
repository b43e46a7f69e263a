// A facade vouches for its callers: every call carries an access token it signs for the request's
// user (a guest's on public routes), which the services verify; a service's refusal is a 403.
import { Forbidden, NotAuthorized, readPublicKeys, TokenVerifier } from '@platform/shimeji';
import { testAccessKeys } from '@platform/shimeji/testing';
import { buildFacade, type Facade } from '../src';
import { FakeRpc, testAccessTokens, tokenSigner } from '../src/testing';

const SECRET = 'tokens-secret-tokens-secret-tokens';
const { bearer, tokenWith } = tokenSigner({ secret: SECRET, audience: 'shop', sub: 'u1', role: 'customer' });

const open: Facade[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

async function shop(rpc: FakeRpc) {
  const app = await buildFacade({ name: 'shop', audience: 'shop', jwtSecret: SECRET, rpcClient: rpc, logger: false, accessTokens: await testAccessTokens() });
  app.get('/mine', { config: { access: ['customer', 'admin'] } }, async (request) => request.rpc.call('notes', 'mine'));
  app.get('/open', { config: { access: 'public' } }, async (request) => request.rpc.call('notes', 'open'));
  open.push(app);
  return app;
}

const verifier = async () =>
  new TokenVerifier({ users: await readPublicKeys('test', testAccessKeys().users.publicKey), services: [], audiences: ['shop'] });
const tokenOf = (rpc: FakeRpc, i: number) => (rpc.calls[i]!.options as { contextData: { auth_token: string } }).contextData.auth_token;

describe('the access tokens a facade sends', () => {
  it('stand for the request’s user, with the facade as audience, and are reused for the same user', async () => {
    const rpc = new FakeRpc().answer('notes.mine', () => []);
    const app = await shop(rpc);
    await app.inject({ url: '/mine', headers: bearer() });
    await app.inject({ url: '/mine', headers: bearer() });
    await app.inject({ url: '/mine', headers: bearer(tokenWith({ sub: 'u2', role: 'admin' })) });
    expect(await (await verifier()).verify(tokenOf(rpc, 0))).toMatchObject({ sub: 'u1', role: 'customer', audience: 'shop', kind: 'user' });
    expect(tokenOf(rpc, 1)).toBe(tokenOf(rpc, 0));
    expect(await (await verifier()).verify(tokenOf(rpc, 2))).toMatchObject({ sub: 'u2', role: 'admin' });
  });

  it('stand for a guest on a public route', async () => {
    const rpc = new FakeRpc().answer('notes.open', () => []);
    await (await shop(rpc)).inject({ url: '/open' });
    expect(await (await verifier()).verify(tokenOf(rpc, 0))).toMatchObject({ sub: 'guest', role: 'guest' });
  });

  it.each([
    ['Forbidden', new Forbidden('notes.mine may not be called by the role customer')],
    ['NotAuthorized', new NotAuthorized('the access token has expired')],
  ])('turn a service’s %s into 403, saying nothing of the rule', async (_name, refusal) => {
    const rpc = new FakeRpc().answer('notes.mine', () => Promise.reject(refusal));
    const res = await (await shop(rpc)).inject({ url: '/mine', headers: bearer() });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'FORBIDDEN', message: 'you may not do this' });
  });
});
