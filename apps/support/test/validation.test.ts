import { bearer, supportApp } from './helpers';

describe('validation happens before any RPC', () => {
  test('a lookup without an email is 400 naming it', async () => {
    const { app, rpc } = await supportApp();
    const res = await app.inject({ method: 'GET', url: '/customers', headers: bearer() });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { field: string }) => d.field)).toEqual(['email']);
    expect(rpc.calls).toHaveLength(0);
  });

  test('a lookup with something that is not an email is 400 naming it', async () => {
    const { app, rpc } = await supportApp();
    const res = await app.inject({ method: 'GET', url: `/customers?email=${encodeURIComponent("' OR 1=1 --")}`, headers: bearer() });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: [{ field: 'email' }] });
    expect(rpc.calls).toHaveLength(0);
  });

  test('an unknown query parameter is 400 naming it', async () => {
    const { app, rpc } = await supportApp();
    const res = await app.inject({ method: 'GET', url: '/customers?email=ann%40example.com&role=admin', headers: bearer() });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ field: 'role', message: 'unknown field' }]);
    expect(rpc.calls).toHaveLength(0);
  });

  test.each([
    ['GET', '/customers/%s/overview', 'userId'],
    ['GET', '/customers/%s/messages', 'userId'],
    ['POST', '/orders/%s/receipt', 'orderId'],
  ])('a bad path parameter on %s %s is 400 naming %s', async (method, url, field) => {
    const { app, rpc } = await supportApp();
    const res = await app.inject({ method: method as 'GET' | 'POST', url: url.replace('%s', encodeURIComponent("1' OR '1'='1")), headers: bearer() });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe(field);
    expect(rpc.calls).toHaveLength(0);
  });

  test('a login with an unknown field is 400 naming it', async () => {
    const { app, rpc } = await supportApp();
    const res = await app.inject({ method: 'POST', url: '/login', payload: { email: 'sam@example.com', password: 'x', role: 'admin' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: [{ field: 'role', message: 'unknown field' }] });
    expect(rpc.calls).toHaveLength(0);
  });

  test('malformed JSON is 400 MALFORMED_JSON', async () => {
    const { app, rpc } = await supportApp();
    const res = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/json' }, payload: '{"email": ' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'MALFORMED_JSON', details: [{ field: 'body' }] });
    expect(rpc.calls).toHaveLength(0);
  });

  test('an unknown route is 404 in the one error shape', async () => {
    const { app } = await supportApp();
    const res = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'NOT_FOUND', message: 'no route GET /nowhere', details: [] });
  });
});

describe('rate limits', () => {
  const routes: [string, string, 'login' | 'payment'][] = [
    ['POST', '/login', 'login'],
  ];

  test.each(routes)('%s %s is under the %s rate limit: past it 429 with retry-after, before any RPC', async (method, url, limit) => {
    const { app, rpc } = await supportApp(undefined, { rateLimits: { [limit]: { max: 1, timeWindow: '1 minute' } } });
    const request = { method: method as 'POST', url, headers: bearer(), payload: {} };
    expect((await app.inject(request)).statusCode).toBe(400);
    const res = await app.inject(request);
    expect(res.statusCode).toBe(429);
    expect(res.json()).toMatchObject({ error: 'TOO_MANY_REQUESTS', details: [] });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(rpc.calls).toHaveLength(0);
  });
});
