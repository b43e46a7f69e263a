import { describeFacadeValidation } from '@platform/http/testing';
import { aMessage, FakeRpc, O1, U1 } from './fake-rpc';
import { bearer, supportApp } from './helpers';

const NOT_A_UUID = 'not-a-uuid';

describeFacadeValidation({
  app: supportApp,
  bearer,
  unknownField: { method: 'POST', url: '/login', payload: { email: 'sam@example.com', password: 'x', role: 'admin' }, field: 'role', public: true },
  malformedJson: { method: 'POST', url: '/login', public: true },
  notUuid: [
    { method: 'GET', url: `/customers/${NOT_A_UUID}/overview`, field: 'userId' },
    { method: 'GET', url: `/customers/${NOT_A_UUID}/messages`, field: 'userId' },
    { method: 'POST', url: `/orders/${NOT_A_UUID}/receipt`, field: 'orderId' },
    { method: 'GET', url: `/customers/${U1}0/overview`, field: 'userId' },
  ],
  rateLimited: [{ method: 'POST', url: '/login', limit: 'login' }],
});

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
});

describe('ids and texts are held to the services’ own limits: the facade refuses first, naming its field, and asks nothing', () => {
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
});
