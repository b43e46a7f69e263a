// The Idempotency-Key header: checked, scoped to the facade and its caller, sent to the services.
import { IdempotencyKeyReused } from '@platform/shimeji';
import { buildFacade, type Facade } from '../src';
import { FakeRpc, tokenSigner } from '../src/testing';

const SECRET = 'idempotency-secret-idempotency-secret';
const { bearer } = tokenSigner({ secret: SECRET, audience: 'shop', sub: 'u1', role: 'customer' });
const open: Facade[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

async function shop(rpc: FakeRpc) {
  const app = await buildFacade({ name: 'shop', audience: 'shop', jwtSecret: SECRET, rpcClient: rpc, logger: false });
  open.push(app);
  app.post('/orders', { config: { access: ['customer'] } }, async (request, reply) => reply.code(201).send(await request.rpc.call('project', 'placeOrder', [])));
  app.post('/register', { config: { access: 'public' } }, async (request, reply) => reply.code(201).send(await request.rpc.call('user', 'registerUser', [])));
  app.get('/orders', { config: { access: ['customer'] } }, async () => []);
  await app.ready();
  return app;
}

describe('the Idempotency-Key header', () => {
  it('goes to the services in the call’s context, scoped to the facade and the caller', async () => {
    const rpc = new FakeRpc().answer('project.placeOrder', () => ({ id: 'o1' })).answer('user.registerUser', () => ({ id: 'u2' }));
    const app = await shop(rpc);
    expect((await app.inject({ method: 'POST', url: '/orders', headers: { ...bearer(), 'idempotency-key': 'order-7f3a' } })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/register', headers: { 'idempotency-key': 'sign-up-1' } })).statusCode).toBe(201);
    await app.inject({ method: 'POST', url: '/orders', headers: bearer() });
    expect(rpc.calls.map((c) => c.options?.contextData)).toEqual([
      { user_id: 'u1', idempotency_key: 'shop:u1:order-7f3a' },
      { idempotency_key: 'shop:anonymous:sign-up-1' },
      { user_id: 'u1' },
    ]);
  });

  it('refuses a malformed key with 400 naming the header, and calls no service', async () => {
    const rpc = new FakeRpc().answer('project.placeOrder', () => ({ id: 'o1' }));
    const app = await shop(rpc);
    for (const key of ['', 'has space', 'x'.repeat(256), 'ünïcode']) {
      const res = await app.inject({ method: 'POST', url: '/orders', headers: { ...bearer(), 'idempotency-key': key } });
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toEqual([{ field: 'Idempotency-Key', message: expect.stringMatching(/^must be 1 to 255/) }]);
    }
    expect(rpc.calls).toEqual([]);
  });

  it('answers a key used for another request with 422 naming the key', async () => {
    const rpc = new FakeRpc().answer('project.placeOrder', () => Promise.reject(new IdempotencyKeyReused('used for another request')));
    const app = await shop(rpc);
    const res = await app.inject({ method: 'POST', url: '/orders', headers: { ...bearer(), 'idempotency-key': 'k1' } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      error: 'IDEMPOTENCY_KEY_REUSED',
      message: 'this Idempotency-Key was used for another request: use a new key for a new request',
      details: [{ field: 'Idempotency-Key', message: 'used for another request' }],
    });
  });
});

describe('the Idempotency-Key in the OpenAPI document', () => {
  it('is documented on every route that creates or moves something, and on none that reads', async () => {
    const app = await shop(new FakeRpc());
    const document = app.swagger() as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> };
    const headerOf = (path: string, method: string) => document.paths[path]?.[method]?.parameters?.filter((p) => p.in === 'header').map((p) => p.name);
    expect(headerOf('/orders', 'post')).toEqual(['idempotency-key']);
    expect(headerOf('/register', 'post')).toEqual(['idempotency-key']);
    expect(headerOf('/orders', 'get') ?? []).toEqual([]);
  });
});
