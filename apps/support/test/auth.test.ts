import { describeFacadeAuth } from '@platform/http/testing';
import { aStaffMember, aUser, FakeRpc, O1, S1, U1 } from './fake-rpc';
import { bearer, supportApp, tokenWith } from './helpers';

describeFacadeAuth({
  app: supportApp,
  tokenWith,
  bearer,
  protectedRoute: { method: 'GET', url: `/customers/${U1}/overview` },
  rpc: () => new FakeRpc().answer('user.getUser', () => aUser()),
  otherAudiences: ['web'],
  refusedRole: { role: 'customer', route: { method: 'GET', url: `/customers/${U1}/messages` } },
  callerInBody: { method: 'POST', url: `/orders/${O1}/receipt`, payload: { requestedBy: U1 }, field: 'requestedBy' },
});

describe('authentication', () => {
  test('an admin token is let in', async () => {
    const { app } = await supportApp(new FakeRpc().answer('messaging.listMessagesForUser', () => []));
    const res = await app.inject({ method: 'GET', url: `/customers/${U1}/messages`, headers: bearer(tokenWith({ role: 'admin' })) });
    expect(res.statusCode).toBe(200);
  });

  test.each(['support', 'admin'])('login as %s returns a token for the support audience that opens who am I', async (role) => {
    const rpc = new FakeRpc().answer('user.authenticate', () => aStaffMember({ role })).answer('user.getUser', () => aStaffMember({ role }));
    const { app } = await supportApp(rpc);
    const login = await app.inject({ method: 'POST', url: '/login', payload: { email: 'sam@example.com', password: 'correct horse' } });
    expect(login.statusCode).toBe(200);
    const { token, user } = login.json();
    expect(user).toEqual({ id: S1, email: 'sam@example.com', name: 'Sam', role, created_at: aUser().created_at });
    expect(app.jwt.decode<{ aud: string; sub: string; role: string }>(token)).toMatchObject({ aud: 'support', sub: S1, role });
    const me = await app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(rpc.called('user.getUser')[0]!.args).toEqual([S1]);
  });

  test('login refuses a customer with 403 and no token', async () => {
    const { app } = await supportApp(new FakeRpc().answer('user.authenticate', () => aUser()));
    const res = await app.inject({ method: 'POST', url: '/login', payload: { email: 'ann@example.com', password: 'x' } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).not.toHaveProperty('token');
  });
});
