import { ErrorRegistry } from '@platform/shimeji';
import { z } from 'zod';
import { buildFacade, type CallerCheck, type CallerStanding, type Facade, standingFromRpc, userServiceStanding } from '../src';
import { tokenSigner } from '../src/testing';

const SECRET = 'caller-check-secret-caller-check-secret';
const { bearer, tokenWith } = tokenSigner({ secret: SECRET, audience: 'web', sub: 'u1', role: 'customer' });

const open: Facade[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

/** A facade with one customers' route, whose caller check reads `standings` and counts lookups. */
async function facade(standings: Map<string, CallerStanding>, options: Partial<CallerCheck> = {}) {
  const lookups: string[] = [];
  const handled: string[] = [];
  const app = await buildFacade({
    name: 'web',
    audience: 'web',
    jwtSecret: SECRET,
    rpcClient: { call: async () => ({}) },
    logger: false,
    callerCheck: {
      lookup: async (caller) => (lookups.push(caller.id), standings.get(caller.id)),
      ...options,
    },
  });
  app.post(
    '/notes',
    { config: { access: ['customer'] }, schema: { body: z.strictObject({ text: z.string().min(1) }) } },
    async (request) => (handled.push(request.user.id), { ok: true }),
  );
  app.get('/open', { config: { access: 'public' } }, async () => ({ ok: true }));
  open.push(app);
  await app.ready();
  const post = (headers = bearer(), payload: unknown = { text: 'hello' }) => app.inject({ method: 'POST', url: '/notes', headers, payload: payload as object });
  return { app, post, lookups, handled };
}

describe('the caller check', () => {
  it('lets an active user in the token’s role through, asking once within the ttl', async () => {
    const { post, lookups, handled } = await facade(new Map([['u1', { role: 'customer', active: true }]]));
    expect((await post()).statusCode).toBe(200);
    expect((await post()).statusCode).toBe(200);
    expect(lookups).toEqual(['u1']);
    expect(handled).toEqual(['u1', 'u1']);
  });

  it('asks once for many requests of one user arriving at the same moment', async () => {
    const { post, lookups } = await facade(new Map([['u1', { role: 'customer', active: true }]]));
    const answers = await Promise.all(Array.from({ length: 5 }, () => post()));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(lookups).toEqual(['u1']);
  });

  it('asks on every request with a ttl of 0', async () => {
    const { post, lookups } = await facade(new Map([['u1', { role: 'customer', active: true }]]), { ttlMs: 0 });
    await post();
    await post();
    expect(lookups).toEqual(['u1', 'u1']);
  });

  it('refuses a suspended user’s still valid token (403) before the handler runs', async () => {
    const { post, handled } = await facade(new Map([['u1', { role: 'customer', active: false }]]));
    const res = await post();
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'FORBIDDEN', message: 'this account is suspended' });
    expect(handled).toEqual([]);
  });

  it('refuses a token whose role the user no longer has, and one of a user who no longer exists (401)', async () => {
    const { post } = await facade(new Map([['u1', { role: 'support', active: true }]]));
    expect((await post()).json()).toMatchObject({ error: 'UNAUTHORIZED', message: 'your role has changed: log in again' });
    expect((await post(bearer(tokenWith({ sub: 'gone' })))).json()).toMatchObject({ error: 'UNAUTHORIZED', message: 'this account no longer exists' });
  });

  it('sees a suspension once the ttl has passed', async () => {
    const standings = new Map([['u1', { role: 'customer', active: true }]]);
    const { post, lookups } = await facade(standings, { ttlMs: 50 });
    expect((await post()).statusCode).toBe(200);
    standings.set('u1', { role: 'customer', active: false });
    expect((await post()).statusCode).toBe(200); // trusted for the ttl
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await post()).statusCode).toBe(403);
    expect(lookups).toEqual(['u1', 'u1']);
  });

  it('asks nothing for public routes, unauthenticated requests or bad input', async () => {
    const { app, post, lookups } = await facade(new Map());
    expect((await app.inject({ url: '/open' })).statusCode).toBe(200);
    expect((await post({ authorization: '' })).statusCode).toBe(401);
    expect((await post(bearer(), { text: '' })).statusCode).toBe(400);
    expect(lookups).toEqual([]);
  });

  it('fails the request when the lookup fails, never letting it through', async () => {
    const { post, handled } = await facade(new Map(), {
      lookup: async () => {
        throw new Error('user service down');
      },
    });
    expect((await post()).statusCode).toBe(500);
    expect(handled).toEqual([]);
  });

  it('keeps at most maxEntries standings, forgetting the oldest', async () => {
    const standings = new Map(['a', 'b', 'c'].map((id) => [id, { role: 'customer', active: true }]));
    const { post, lookups } = await facade(standings, { maxEntries: 2 });
    for (const id of ['a', 'b', 'c', 'c', 'b', 'a']) expect((await post(bearer(tokenWith({ sub: id })))).statusCode).toBe(200);
    expect(lookups).toEqual(['a', 'b', 'c', 'a']);
  });
});

describe('standingFromRpc', () => {
  class NotFound extends Error {}
  const rpcAnswering = (answer: () => unknown) => ({
    calls: [] as unknown[][],
    call<T>(...args: unknown[]) {
      this.calls.push(args);
      return Promise.resolve().then(answer) as Promise<T>;
    },
  });
  const check = standingFromRpc({ service: 'user', method: 'getUser', notFound: NotFound });
  const caller = { id: 'u1', role: 'customer' };

  it('reads role and status from the service, active meaning status active', async () => {
    const rpc = rpcAnswering(() => ({ id: 'u1', role: 'customer', status: 'suspended' }));
    expect(await check.lookup(caller, rpc)).toEqual({ role: 'customer', active: false });
    expect(rpc.calls).toEqual([['user', 'getUser', ['u1']]]);
  });

  it('takes the facade’s NotFound as a user who is gone, and lets any other error through', async () => {
    expect(await check.lookup(caller, rpcAnswering(() => Promise.reject(new NotFound('no user u1'))))).toBeUndefined();
    await expect(check.lookup(caller, rpcAnswering(() => Promise.reject(new Error('timeout'))))).rejects.toThrow('timeout');
  });
});

describe('userServiceStanding', () => {
  class NotFound extends Error {}
  const caller = { id: 'u1', role: 'admin' };

  it('asks the user service for the caller, the facade’s user.exceptions.NotFound meaning gone', async () => {
    const check = userServiceStanding(new ErrorRegistry().register('user.exceptions.NotFound', NotFound));
    const calls: unknown[][] = [];
    const rpc = {
      call: <T>(...args: unknown[]) => (calls.push(args), Promise.resolve({ role: 'admin', status: 'active' } as T)),
    };
    expect(await check.lookup(caller, rpc)).toEqual({ role: 'admin', active: true });
    expect(calls).toEqual([['user', 'getUser', ['u1']]]);
    const gone = { call: () => Promise.reject(new NotFound('no user u1')) };
    expect(await check.lookup(caller, gone)).toBeUndefined();
  });

  it('keeps the given ttl', () => {
    const errors = new ErrorRegistry().register('user.exceptions.NotFound', NotFound);
    expect(userServiceStanding(errors, { ttlMs: 0 }).ttlMs).toBe(0);
    expect(userServiceStanding(errors).ttlMs).toBeUndefined();
  });

  it('refuses remote errors that do not register the user service’s NotFound, saying which it needs', () => {
    expect(() => userServiceStanding(new ErrorRegistry())).toThrow('register no user.exceptions.NotFound');
  });
});
