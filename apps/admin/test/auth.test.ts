import { aUser, FakeRpc, O1, P1, U2, U9 } from './fake-rpc';
import { adminApp, bearer, tokenWith } from './helpers';

const routes: [string, string, Record<string, unknown> | undefined][] = [
  ['GET', '/users', undefined],
  ['POST', `/users/${U2}/suspend`, { reason: 'x' }],
  ['POST', `/users/${U2}/reactivate`, { reason: 'x' }],
  ['PUT', `/users/${U2}/role`, { role: 'support' }],
  ['GET', '/projects', undefined],
  ['GET', `/projects/${P1}/orders`, undefined],
  ['POST', `/projects/${P1}/orders/${O1}`, { payment_method_id: 'pm_1', paid_by: U2 }],
  ['POST', `/projects/${P1}/orders/${O1}/refund`, { reason: 'x' }],
];

describe('authentication', () => {
  const cases: [string, Record<string, string>][] = [
    ['no token', {}],
    ['a malformed header', { authorization: 'Token abc' }],
    ['an expired token', bearer(tokenWith({ expired: true }))],
    ['a token signed with another key', bearer(tokenWith({ key: 'another-secret-another-secret-123' }))],
    ['a token for the web facade (even an admin’s)', bearer(tokenWith({ aud: 'web' }))],
    ['a token for the support facade', bearer(tokenWith({ aud: 'support' }))],
  ];

  test.each(cases)('%s is 401 in the one error shape and sends no RPC', async (_name, headers) => {
    const { app, rpc } = await adminApp(new FakeRpc().answer('user.findUsers', () => ({ items: [], total: 0, page: 1, page_size: 20 })));
    const res = await app.inject({ method: 'GET', url: '/users', headers });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: 'UNAUTHORIZED', message: expect.any(String), details: [] });
    expect(rpc.calls).toHaveLength(0);
  });

  test.each(routes)('%s %s: a customer’s admin-audience token is 403, a web token 401, none 401; no RPC', async (method, url, payload) => {
    const { app, rpc } = await adminApp();
    const asCustomer = await app.inject({ method: method as 'GET', url, payload, headers: bearer(tokenWith({ role: 'customer' })) });
    expect(asCustomer.statusCode).toBe(403);
    expect(asCustomer.json().error).toBe('FORBIDDEN');
    const asSupport = await app.inject({ method: method as 'GET', url, payload, headers: bearer(tokenWith({ role: 'support' })) });
    expect(asSupport.statusCode).toBe(403);
    const webToken = await app.inject({ method: method as 'GET', url, payload, headers: bearer(tokenWith({ aud: 'web', role: 'customer' })) });
    expect(webToken.statusCode).toBe(401);
    const none = await app.inject({ method: method as 'GET', url, payload });
    expect(none.statusCode).toBe(401);
    expect(rpc.calls).toHaveLength(0);
  });

  test('login is public', async () => {
    const { app } = await adminApp(new FakeRpc().answer('user.authenticate', () => aUser()));
    const res = await app.inject({ method: 'POST', url: '/login', payload: { email: 'ann@example.com', password: 'x' } });
    expect(res.statusCode).toBe(200);
  });

  test('authentication is checked before the body is validated', async () => {
    const { app } = await adminApp();
    const res = await app.inject({ method: 'POST', url: `/users/${U2}/suspend`, payload: { nope: 1 } });
    expect(res.statusCode).toBe(401);
  });

  test('the actor is the token’s admin, never a field of the body', async () => {
    const { app, rpc } = await adminApp();
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}/refund`, headers: bearer(), payload: { reason: 'x', actorId: U9 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ field: 'actorId', message: 'unknown field' }]);
    expect(rpc.calls).toHaveLength(0);
  });
});
