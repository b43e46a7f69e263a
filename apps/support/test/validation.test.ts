import { aMessage, FakeRpc, O1, U1 } from './fake-rpc';
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

describe('ids and texts are held to the services’ own limits: the facade refuses first, naming its field, and asks nothing', () => {
  const NOT_A_UUID = 'not-a-uuid';

  test.each([
    ['GET', `/customers/${NOT_A_UUID}/overview`, 'userId'],
    ['GET', `/customers/${NOT_A_UUID}/messages`, 'userId'],
    ['POST', `/orders/${NOT_A_UUID}/receipt`, 'orderId'],
    ['GET', `/customers/${U1}0/overview`, 'userId'],
  ])('%s %s: an id that is not a UUID is 400 VALIDATION_FAILED naming %s', async (method, url, field) => {
    const { app, rpc } = await supportApp();
    const res = await app.inject({ method: method as 'GET' | 'POST', url, headers: bearer() });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: [{ field, message: 'must be a UUID' }] });
    expect(rpc.calls).toHaveLength(0);
  });

  test('a login password over 128 characters is refused by the facade, naming it', async () => {
    const { app, rpc } = await supportApp();
    const res = await app.inject({ method: 'POST', url: '/login', payload: { email: 'sam@example.com', password: 'p'.repeat(129) } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: [{ field: 'password' }] });
    expect(rpc.calls).toHaveLength(0);
  });
});

describe('resending a receipt takes no body', () => {
  /** POSTs to the receipt route with `payload` as JSON, or with no body and no content type when it is undefined. */
  async function resend(payload?: Record<string, unknown>) {
    const { app, rpc } = await supportApp(new FakeRpc().answer('messaging.resendOrderReceipt', () => aMessage()));
    const res = await app.inject({ method: 'POST', url: `/orders/${O1}/receipt`, payload, headers: bearer() });
    return { res, rpc };
  }

  test('no body and no content type resends it', async () => {
    const { res, rpc } = await resend();
    expect(res.statusCode).toBe(201);
    expect(rpc.called('messaging.resendOrderReceipt')).toHaveLength(1);
  });

  test('an empty JSON object resends it', async () => {
    const { res, rpc } = await resend({});
    expect(res.statusCode).toBe(201);
    expect(rpc.called('messaging.resendOrderReceipt')).toHaveLength(1);
  });

  test('any field is 400 naming it as unknown, and nothing is resent', async () => {
    const { res, rpc } = await resend({ x: 1 });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: [{ field: 'x', message: 'unknown field' }] });
    expect(rpc.calls).toHaveLength(0);
  });

  test('naming who asks in the body is 400: that is the token’s user', async () => {
    const { res, rpc } = await resend({ requestedBy: U1 });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ field: 'requestedBy', message: 'unknown field' }]);
    expect(rpc.calls).toHaveLength(0);
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
