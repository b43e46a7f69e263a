import { aStaffMember, aUser, FakeRpc, S1, U1 } from './fake-rpc';
import { bearer, supportApp, tokenWith } from './helpers';

describe('authentication', () => {
  const cases: [string, Record<string, string>][] = [
    ['no token', {}],
    ['a malformed header', { authorization: 'Token abc' }],
    ['an expired token', bearer(tokenWith({ expired: true }))],
    ['a token signed with another key', bearer(tokenWith({ key: 'another-secret-another-secret-123' }))],
    ['a token for the web facade', bearer(tokenWith({ aud: 'web' }))],
  ];

  test.each(cases)('%s is 401 in the one error shape and sends no RPC', async (_name, headers) => {
    const { app, rpc } = await supportApp(new FakeRpc().answer('user.getUser', () => aUser()));
    const res = await app.inject({ method: 'GET', url: `/customers/${U1}/overview`, headers });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: 'UNAUTHORIZED', message: expect.any(String), details: [] });
    expect(rpc.calls).toHaveLength(0);
  });

  test('a valid token with the customer role is 403 and sends no RPC', async () => {
    const { app, rpc } = await supportApp();
    const res = await app.inject({ method: 'GET', url: `/customers/${U1}/messages`, headers: bearer(tokenWith({ role: 'customer' })) });
    expect(res.statusCode).toBe(403);
    expect(rpc.calls).toHaveLength(0);
  });

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
