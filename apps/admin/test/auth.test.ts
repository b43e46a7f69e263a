import { describeFacadeAuth } from '@platform/http/testing';
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
  ['POST', `/projects/${P1}/orders/${O1}/cancel`, { reason: 'x' }],
];

// A token for the web facade is refused even when it is an admin's: the default caller here is one.
describeFacadeAuth({
  app: adminApp,
  tokenWith,
  bearer,
  protectedRoute: { method: 'GET', url: '/users' },
  rpc: () => new FakeRpc().answer('user.findUsers', () => ({ items: [], total: 0, page: 1, page_size: 20 })),
  otherAudiences: ['web', 'support'],
  invalidBody: { method: 'POST', url: `/users/${U2}/suspend`, payload: { nope: 1 } },
  callerInBody: { method: 'POST', url: `/projects/${P1}/orders/${O1}/refund`, payload: { reason: 'x', actorId: U9 }, field: 'actorId' },
});

describe('authentication', () => {
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
});
