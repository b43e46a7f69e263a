import { describeFacadeValidation } from '@platform/http/testing';
import { aUser, FakeRpc, O1, P1, U2 } from './fake-rpc';
import { adminApp, bearer } from './helpers';

const NOT_A_UUID = 'not-a-uuid';
const confirmation = { payment_method_id: 'pm_1', paid_by: U2 };

describeFacadeValidation({
  app: adminApp,
  bearer,
  unknownField: { method: 'PUT', url: `/users/${U2}/role`, payload: { role: 'admin', status: 'active' }, field: 'status' },
  malformedJson: { method: 'POST', url: `/users/${U2}/suspend` },
  notJson: { method: 'POST', url: `/projects/${P1}/orders/${O1}/refund` },
  oversized: { method: 'POST', url: `/users/${U2}/suspend` },
  notUuid: [
    { method: 'POST', url: `/users/${NOT_A_UUID}/suspend`, field: 'userId', payload: { reason: 'x' } },
    { method: 'POST', url: `/users/${NOT_A_UUID}/reactivate`, field: 'userId', payload: { reason: 'x' } },
    { method: 'PUT', url: `/users/${NOT_A_UUID}/role`, field: 'userId', payload: { role: 'support' } },
    { method: 'GET', url: `/projects/${NOT_A_UUID}/orders`, field: 'projectId' },
    { method: 'POST', url: `/projects/${NOT_A_UUID}/orders/${O1}`, field: 'projectId', payload: confirmation },
    { method: 'POST', url: `/projects/${P1}/orders/${NOT_A_UUID}`, field: 'orderId', payload: confirmation },
    { method: 'POST', url: `/projects/${P1}/orders/${O1}`, field: 'paid_by', payload: { ...confirmation, paid_by: NOT_A_UUID } },
    { method: 'POST', url: `/projects/${NOT_A_UUID}/orders/${O1}/refund`, field: 'projectId', payload: { reason: 'x' } },
    { method: 'POST', url: `/projects/${P1}/orders/${NOT_A_UUID}/refund`, field: 'orderId', payload: { reason: 'x' } },
    { method: 'POST', url: `/projects/${NOT_A_UUID}/orders/${O1}/cancel`, field: 'projectId', payload: { reason: 'x' } },
    { method: 'POST', url: `/projects/${P1}/orders/${NOT_A_UUID}/cancel`, field: 'orderId', payload: { reason: 'x' } },
  ],
  rateLimited: [
    { method: 'POST', url: '/login', limit: 'login' },
    { method: 'POST', url: `/projects/${P1}/orders/${O1}`, limit: 'payment' },
    { method: 'POST', url: `/projects/${P1}/orders/${O1}/refund`, limit: 'payment' },
  ],
});

const fields = (body: { details: { field: string }[] }) => body.details.map((d) => d.field);

describe('validation happens before any RPC', () => {
  const cases: [string, string, string, Record<string, unknown> | undefined, string][] = [
    ['login without a password', 'POST', '/login', { email: 'ann@example.com' }, 'password'],
    ['login with a malformed email', 'POST', '/login', { email: 'ann', password: 'x' }, 'email'],
    ['a page that is not a number', 'GET', '/users?page=two', undefined, 'page'],
    ['a page size over 100', 'GET', '/projects?page_size=1000', undefined, 'page_size'],
    ['an unknown query parameter', 'GET', '/users?role=admin', undefined, 'role'],
    ['a suspension without a reason', 'POST', `/users/${U2}/suspend`, {}, 'reason'],
    ['a reactivation with a blank reason', 'POST', `/users/${U2}/reactivate`, { reason: '   ' }, 'reason'],
    ['an unknown role', 'PUT', `/users/${U2}/role`, { role: 'root' }, 'role'],
    ['a bad user id', 'POST', `/users/${encodeURIComponent("1' OR '1'='1")}/suspend`, { reason: 'x' }, 'userId'],
    ['a bad project id', 'GET', `/projects/${encodeURIComponent(`${P1};drop`)}/orders`, undefined, 'projectId'],
    ['a payment without a method', 'POST', `/projects/${P1}/orders/${O1}`, { paid_by: U2 }, 'payment_method_id'],
    ['a payment method that is not pm_…', 'POST', `/projects/${P1}/orders/${O1}`, { payment_method_id: 'card_1', paid_by: U2 }, 'payment_method_id'],
    ['a payment without a payer', 'POST', `/projects/${P1}/orders/${O1}`, { payment_method_id: 'pm_1' }, 'paid_by'],
    ['a payment with a camelCase field', 'POST', `/projects/${P1}/orders/${O1}`, { payment_method_id: 'pm_1', paid_by: U2, paymentMethodId: 'pm_1' }, 'paymentMethodId'],
    ['a bad order id', 'POST', `/projects/${P1}/orders/o%201`, { payment_method_id: 'pm_1', paid_by: U2 }, 'orderId'],
    ['a refund without a reason', 'POST', `/projects/${P1}/orders/${O1}/refund`, {}, 'reason'],
    ['a refund reason of the wrong type', 'POST', `/projects/${P1}/orders/${O1}/refund`, { reason: 42 }, 'reason'],
  ];

  test.each(cases)('%s is 400 naming the field', async (_name, method, url, payload, field) => {
    const { app, rpc } = await adminApp();
    const res = await app.inject({ method: method as 'GET', url, payload, headers: bearer() });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('VALIDATION_FAILED');
    expect(fields(res.json())).toContain(field);
    expect(rpc.calls).toHaveLength(0);
  });
});

describe('ids and texts are held to the services’ own limits: the facade refuses first, naming its field, and asks nothing', () => {
  test.each([
    ['a login password over 128 characters', 'POST', '/login', { email: 'ann@example.com', password: 'p'.repeat(129) }, 'password'],
    ['a search over 254 characters', 'GET', `/users?q=${'q'.repeat(255)}`, undefined, 'q'],
    ['a reason over 500 characters', 'POST', `/users/${U2}/suspend`, { reason: 'r'.repeat(501) }, 'reason'],
  ])('%s is refused by the facade, naming the field', async (_name, method, url, payload, field) => {
    const { app, rpc } = await adminApp();
    const res = await app.inject({ method: method as 'GET' | 'POST', url, payload, headers: bearer() });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: [{ field }] });
    expect(rpc.calls).toHaveLength(0);
  });

  test('a login password of 128 characters and a search of 254 (a whole email) are passed on', async () => {
    const rpc = new FakeRpc().answer('user.authenticate', () => aUser()).answer('user.findUsers', () => ({ items: [], total: 0, page: 1, page_size: 20 }));
    const { app } = await adminApp(rpc);
    const password = 'p'.repeat(128);
    expect((await app.inject({ method: 'POST', url: '/login', payload: { email: 'ann@example.com', password } })).statusCode).toBe(200);
    const q = `${'q'.repeat(242)}@example.com`;
    expect((await app.inject({ method: 'GET', url: `/users?q=${encodeURIComponent(q)}`, headers: bearer() })).statusCode).toBe(200);
    expect(rpc.called('user.authenticate')[0]!.args).toEqual(['ann@example.com', password]);
    expect(rpc.called('user.findUsers')[0]!.args).toEqual([q, 1, 20]);
  });
});
