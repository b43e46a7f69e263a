import { aProject, aUser, FakeRpc, O1, P1 } from './fake-rpc';
import { bearer, webApp } from './helpers';

describe('validation happens before any RPC', () => {
  const order = { description: 'Tiles', amount: 1500, currency: 'EUR' };

  test('an unknown field is 400 naming it', async () => {
    const { app, rpc } = await webApp();
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders`, headers: bearer(), payload: { ...order, status: 'paid' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: [{ field: 'status', message: 'unknown field' }] });
    expect(rpc.calls).toHaveLength(0);
  });

  test('a wrong type is 400 naming the field', async () => {
    const { app, rpc } = await webApp();
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders`, headers: bearer(), payload: { ...order, amount: '15.00' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { field: string }) => d.field)).toEqual(['amount']);
    expect(rpc.calls).toHaveLength(0);
  });

  test('a bad path parameter is 400 naming it', async () => {
    const { app, rpc } = await webApp();
    const res = await app.inject({ method: 'GET', url: `/projects/${encodeURIComponent("1' OR '1'='1")}`, headers: bearer() });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('projectId');
    expect(rpc.calls).toHaveLength(0);
  });

  test('malformed JSON is 400 MALFORMED_JSON', async () => {
    const { app, rpc } = await webApp();
    const res = await app.inject({
      method: 'POST',
      url: '/projects',
      headers: { ...bearer(), 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'MALFORMED_JSON', details: [{ field: 'body' }] });
    expect(rpc.calls).toHaveLength(0);
  });

  test('a body that is not JSON is 415', async () => {
    const { app, rpc } = await webApp();
    const res = await app.inject({
      method: 'POST',
      url: '/projects',
      headers: { ...bearer(), 'content-type': 'text/plain' },
      payload: 'name=Kitchen',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: 'UNSUPPORTED_MEDIA_TYPE', details: [{ field: 'content-type' }] });
    expect(rpc.calls).toHaveLength(0);
  });

  test('an oversized body is 413', async () => {
    const { app, rpc } = await webApp(undefined, { bodyLimit: 1024 });
    const res = await app.inject({ method: 'POST', url: '/projects', headers: bearer(), payload: { name: 'x'.repeat(2000) } });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'PAYLOAD_TOO_LARGE', details: [{ field: 'body' }] });
    expect(rpc.calls).toHaveLength(0);
  });

  test('an unknown route is 404 in the one error shape', async () => {
    const { app } = await webApp();
    const res = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'NOT_FOUND', message: 'no route GET /nowhere', details: [] });
  });
});

describe('ids and texts are held to the services’ own limits: the facade refuses first, naming its field, and asks nothing', () => {
  const NOT_A_UUID = 'not-a-uuid';
  const order = { description: 'Tiles', amount: 1500, currency: 'EUR' };
  const pay = { payment_method_id: 'pm_1' };

  test.each([
    ['GET', `/projects/${NOT_A_UUID}`, 'projectId', undefined],
    ['POST', `/projects/${NOT_A_UUID}/members`, 'projectId', { email: 'bob@example.com' }],
    ['POST', `/projects/${NOT_A_UUID}/orders`, 'projectId', order],
    ['GET', `/projects/${NOT_A_UUID}/orders`, 'projectId', undefined],
    ['POST', `/projects/${NOT_A_UUID}/orders/${O1}/payment`, 'projectId', pay],
    ['POST', `/projects/${P1}/orders/${NOT_A_UUID}/payment`, 'orderId', pay],
    ['GET', `/projects/${'a'.repeat(36)}`, 'projectId', undefined],
    ['GET', `/projects/${P1.toUpperCase().replace(/-/g, '')}`, 'projectId', undefined],
  ])('%s %s: an id that is not a UUID is 400 VALIDATION_FAILED naming %s', async (method, url, field, payload) => {
    const { app, rpc } = await webApp();
    const res = await app.inject({ method: method as 'GET' | 'POST', url, payload, headers: bearer() });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: [{ field, message: 'must be a UUID' }] });
    expect(rpc.calls).toHaveLength(0);
  });

  const register = { email: 'ann@example.com', name: 'Ann', password: 'correct horse' };
  test.each([
    ['a name over 100 characters', '/register', { ...register, name: 'n'.repeat(101) }, 'name'],
    ['a password over 128 characters', '/register', { ...register, password: 'p'.repeat(129) }, 'password'],
    ['a login password over 128 characters', '/login', { email: 'ann@example.com', password: 'p'.repeat(129) }, 'password'],
  ])('%s is refused by the facade, naming the field', async (_name, url, payload, field) => {
    const { app, rpc } = await webApp();
    const res = await app.inject({ method: 'POST', url, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: [{ field }] });
    expect(rpc.calls).toHaveLength(0);
  });

  test('a name of 100 characters and a password of 128 are passed on', async () => {
    const { app, rpc } = await webApp(new FakeRpc().answer('user.registerUser', () => aUser()).answer('user.authenticate', () => aUser()));
    const name = 'n'.repeat(100);
    const password = 'p'.repeat(128);
    expect((await app.inject({ method: 'POST', url: '/register', payload: { ...register, name, password } })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/login', payload: { email: 'ann@example.com', password } })).statusCode).toBe(200);
    expect(rpc.called('user.registerUser')[0]!.args).toEqual(['ann@example.com', name, password]);
  });

  test('a currency ISO 4217 does not know is refused by the facade, as the project service would', async () => {
    const { app, rpc } = await webApp();
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders`, headers: bearer(), payload: { ...order, currency: 'ABC' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: [{ field: 'currency' }] });
    expect(rpc.calls).toHaveLength(0);
  });

  test('a project’s description is trimmed, as the project service would, before its 2000 characters are counted', async () => {
    const { app, rpc } = await webApp(new FakeRpc().answer('project.createProject', () => aProject()));
    const description = 'd'.repeat(2000);
    const res = await app.inject({ method: 'POST', url: '/projects', headers: bearer(), payload: { name: 'Kitchen', description: `  ${description}\n` } });
    expect(res.statusCode).toBe(201);
    expect(rpc.called('project.createProject')[0]!.args[2]).toBe(description);
  });
});

describe('rate limits', () => {
  const routes: [string, string, 'login' | 'payment'][] = [
    ['POST', '/register', 'login'],
    ['POST', '/login', 'login'],
    ['POST', '/payment-methods', 'payment'],
    ['POST', `/projects/${P1}/orders/${O1}/payment`, 'payment'],
  ];

  test.each(routes)('%s %s is under the %s rate limit: past it 429 with retry-after, before any RPC', async (method, url, limit) => {
    const { app, rpc } = await webApp(undefined, { rateLimits: { [limit]: { max: 1, timeWindow: '1 minute' } } });
    const request = { method: method as 'POST', url, headers: bearer(), payload: {} };
    expect((await app.inject(request)).statusCode).toBe(400);
    const res = await app.inject(request);
    expect(res.statusCode).toBe(429);
    expect(res.json()).toMatchObject({ error: 'TOO_MANY_REQUESTS', details: [] });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(rpc.calls).toHaveLength(0);
  });
});
