import { bearer, webApp } from './helpers';

describe('validation happens before any RPC', () => {
  const order = { description: 'Tiles', amount: 1500, currency: 'EUR' };

  test('an unknown field is 400 naming it', async () => {
    const { app, rpc } = await webApp();
    const res = await app.inject({ method: 'POST', url: '/projects/p1/orders', headers: bearer(), payload: { ...order, status: 'paid' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: [{ field: 'status', message: 'unknown field' }] });
    expect(rpc.calls).toHaveLength(0);
  });

  test('a wrong type is 400 naming the field', async () => {
    const { app, rpc } = await webApp();
    const res = await app.inject({ method: 'POST', url: '/projects/p1/orders', headers: bearer(), payload: { ...order, amount: '15.00' } });
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

describe('rate limits', () => {
  const routes: [string, string, 'login' | 'payment'][] = [
    ['POST', '/register', 'login'],
    ['POST', '/login', 'login'],
    ['POST', '/payment-methods', 'payment'],
    ['POST', '/projects/p1/orders/o1/payment', 'payment'],
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
