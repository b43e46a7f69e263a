import { describeFacadeAuth } from '@platform/http/testing';
import { aUser, FakeRpc, O1, P1, U2 } from './fake-rpc';
import { bearer, tokenWith, webApp } from './helpers';

describeFacadeAuth({
  app: webApp,
  tokenWith,
  bearer,
  protectedRoute: { method: 'GET', url: '/me' },
  rpc: () => new FakeRpc().answer('user.getUser', () => aUser()),
  otherAudiences: ['admin'],
  refusedRole: { role: 'support' },
  invalidBody: { method: 'POST', url: '/projects', payload: { nope: 1 } },
  callerInBody: { method: 'POST', url: '/projects', payload: { name: 'x', owner_id: U2 }, field: 'owner_id' },
});

describe('confirming and abandoning a payment need a customer’s token', () => {
  const routes = [
    { method: 'POST', url: `/projects/${P1}/orders/${O1}/payment/confirm`, payload: { payment_intent_id: 'pi_1' } },
    { method: 'POST', url: `/projects/${P1}/orders/${O1}/payment/abandon` },
  ] as const;

  test.each(routes)('$url without a token is 401 and asks no service', async (route) => {
    const { app, rpc } = await webApp();
    const res = await app.inject({ ...route });
    expect(res.statusCode).toBe(401);
    expect(rpc.calls).toHaveLength(0);
  });

  test.each(routes)('$url with a support agent’s token is 403 and asks no service', async (route) => {
    const { app, rpc } = await webApp();
    const res = await app.inject({ ...route, headers: bearer(tokenWith({ role: 'support' })) });
    expect(res.statusCode).toBe(403);
    expect(rpc.calls).toHaveLength(0);
  });
});
