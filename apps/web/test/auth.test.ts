import { aUser, FakeRpc, U2 } from './fake-rpc';
import { bearer, tokenWith, webApp } from './helpers';

describe('authentication', () => {
  const cases: [string, Record<string, string>][] = [
    ['no token', {}],
    ['a malformed header', { authorization: 'Token abc' }],
    ['an expired token', bearer(tokenWith({ expired: true }))],
    ['a token signed with another key', bearer(tokenWith({ key: 'another-secret-another-secret-123' }))],
    ['a token for the admin facade', bearer(tokenWith({ aud: 'admin' }))],
  ];

  test.each(cases)('%s is 401 in the one error shape and sends no RPC', async (_name, headers) => {
    const { app, rpc } = await webApp(new FakeRpc().answer('user.getUser', () => aUser()));
    const res = await app.inject({ method: 'GET', url: '/me', headers });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: 'UNAUTHORIZED', message: expect.any(String), details: [] });
    expect(rpc.calls).toHaveLength(0);
  });

  test('a valid token of another role is 403', async () => {
    const { app, rpc } = await webApp();
    const res = await app.inject({ method: 'GET', url: '/me', headers: bearer(tokenWith({ role: 'support' })) });
    expect(res.statusCode).toBe(403);
    expect(rpc.calls).toHaveLength(0);
  });

  test('authentication is checked before the body is validated', async () => {
    const { app } = await webApp();
    const res = await app.inject({ method: 'POST', url: '/projects', payload: { nope: 1 } });
    expect(res.statusCode).toBe(401);
  });

  test('the requester is the token’s user, never a field of the body', async () => {
    const { app, rpc } = await webApp();
    const res = await app.inject({ method: 'POST', url: '/projects', headers: bearer(), payload: { name: 'x', owner_id: U2 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ field: 'owner_id', message: 'unknown field' }]);
    expect(rpc.calls).toHaveLength(0);
  });
});
