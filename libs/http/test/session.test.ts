import { buildFacade, type Facade, sessionFor } from '../src';

const open: Facade[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

async function facade() {
  const app = await buildFacade({ name: 'web', audience: 'web', jwtSecret: 'session-secret-session-secret-session', rpcClient: { call: async () => ({}) }, logger: false });
  open.push(app);
  await app.ready();
  return app;
}

describe('sessionFor', () => {
  it('gives a user in one of the roles a token of this facade carrying their id and role', async () => {
    const app = await facade();
    const user = { id: 'u1', role: 'customer', name: 'Ann' };
    const session = await sessionFor(app, user, ['customer'], 'customers');
    expect(session.user).toBe(user);
    expect(app.jwt.verify(session.token)).toMatchObject({ sub: 'u1', role: 'customer', aud: 'web' });
  });

  it('refuses anyone else with 403, saying whom the application is for', async () => {
    const app = await facade();
    await expect(sessionFor(app, { id: 'a1', role: 'admin' }, ['customer'], 'customers')).rejects.toMatchObject({
      statusCode: 403,
      message: 'this application is for customers',
    });
  });
});
