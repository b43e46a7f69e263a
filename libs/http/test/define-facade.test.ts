import { ErrorRegistry } from '@platform/shimeji';
import { facadeAccessConfig, testBrokerUri } from '@platform/shimeji/testing';
import { z } from 'zod';
import { type CallerCheck, ErrorTranslation, type Facade, type FacadeDefinition, httpErrors, type StartedFacade } from '../src';
import { FakeRpc, tokenSigner } from '../src/testing';
import { shopFacade } from './support/shop-facade';

const SECRET = 'define-facade-secret-define-facade-secret';
class NotFound extends Error {}
class Gone extends Error {}

const User = z.object({ id: z.string(), role: z.string(), name: z.string() });
const ann = { id: 'u1', role: 'customer', name: 'Ann', password_hash: 'x' };

/** A facade serving customers, with one route of its own. */
function aFacade(more: Partial<FacadeDefinition> = {}) {
  return shopFacade({
    user: User,
    routes: [(app) => app.get('/gone', { config: { access: ['customer'] } }, async () => Promise.reject(new Gone('it went')))],
    remoteErrors: new ErrorRegistry().register('user.exceptions.NotFound', NotFound),
    httpErrors: new ErrorTranslation().on(Gone, httpErrors.Conflict),
    ...more,
  });
}

const { bearer } = tokenSigner({ secret: SECRET, audience: 'shop', sub: 'u1', role: 'customer' });
const apps: Facade[] = [];
const started: StartedFacade[] = [];
afterEach(async () => {
  await Promise.all([...apps.splice(0).map((app) => app.close()), ...started.splice(0).map((facade) => facade.close())]);
});

async function built(rpc: FakeRpc, more: Partial<FacadeDefinition> = {}) {
  const app = await aFacade(more).build({ rpcClient: rpc, jwtSecret: SECRET, logger: false });
  apps.push(app);
  return app;
}

describe('defineFacade', () => {
  it('builds an app whose login gives the roles it serves a token for its audience, showing the user as its schema says', async () => {
    const rpc = new FakeRpc().answer('user.authenticate', () => ann);
    const app = await built(rpc);
    const res = await app.inject({ method: 'POST', url: '/login', payload: { email: 'ann@example.com', password: 'pw' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toEqual({ id: 'u1', role: 'customer', name: 'Ann' });
    expect(app.jwt.decode<{ aud: string; sub: string }>(res.json().token)).toMatchObject({ aud: 'shop', sub: 'u1' });
    expect(rpc.called('user.authenticate')[0]!.args).toEqual(['ann@example.com', 'pw']);
  });

  it('refuses a login of another role with 403 naming whom the application is for', async () => {
    const app = await built(new FakeRpc().answer('user.authenticate', () => ({ ...ann, role: 'admin' })));
    const res = await app.inject({ method: 'POST', url: '/login', payload: { email: 'ann@example.com', password: 'pw' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toBe('this application is for customers');
  });

  it('refuses a login body with another field, asking nothing', async () => {
    const rpc = new FakeRpc();
    const app = await built(rpc);
    const res = await app.inject({ method: 'POST', url: '/login', payload: { email: 'ann@example.com', password: 'pw', role: 'admin' } });
    expect(res.statusCode).toBe(400);
    expect(rpc.calls).toHaveLength(0);
  });

  it('serves /me only when the definition asks for it', async () => {
    const rpc = new FakeRpc().answer('user.getUser', () => ann);
    expect((await (await built(rpc)).inject({ url: '/me', headers: bearer() })).statusCode).toBe(404);
    const me = await (await built(rpc, { whoAmI: true })).inject({ url: '/me', headers: bearer() });
    expect(me.json()).toEqual({ id: 'u1', role: 'customer', name: 'Ann' });
    expect(rpc.called('user.getUser')[0]!.args).toEqual(['u1']);
  });

  it('adds its routes and translates remote errors with its own translation', async () => {
    const res = await (await built(new FakeRpc())).inject({ url: '/gone', headers: bearer() });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ error: 'CONFLICT', message: 'it went', details: [] });
  });

  it('checks callers only when started (or when given a check), with the user service’s check by default', async () => {
    expect(aFacade().callerCheck.lookup).toEqual(expect.any(Function));
    expect(() => aFacade({ remoteErrors: new ErrorRegistry() })).toThrow('user.exceptions.NotFound');
    const lookups: string[] = [];
    const callerCheck: CallerCheck = { lookup: async (caller) => (lookups.push(caller.id), { role: 'customer', active: false }) };
    const facade = aFacade({ callerCheck });
    expect((await (await built(new FakeRpc(), { callerCheck })).inject({ url: '/gone', headers: bearer() })).statusCode).toBe(409);
    expect(lookups).toEqual([]);

    const running = await facade.start({
      config: { ...facadeAccessConfig(), AMQP_URI: testBrokerUri('memory'), JWT_SECRET: SECRET, logLevel: 'silent' },
      port: 0,
      host: '127.0.0.1',
    });
    started.push(running);
    const res = await fetch(`${running.url}/gone`, { headers: bearer() });
    expect(res.status).toBe(403);
    expect(lookups).toEqual(['u1']);
  });

  it('keeps what the platform and its program read: name, port, roles, whom it is for, its remote errors', () => {
    const facade = aFacade();
    expect(facade).toMatchObject({ name: 'shop', audience: 'shop', defaultPort: 8100, roles: ['customer'], forWhom: 'customers' });
    expect(facade.remoteErrors.lookup('user.exceptions.NotFound')).toBe(NotFound);
  });
});
