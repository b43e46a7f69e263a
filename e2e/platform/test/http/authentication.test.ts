// Who may call each facade, over real HTTP: a missing, malformed, expired, forged or unsigned
// token is 401, another facade's real token is 401, a role the facade does not serve is 403, and
// none of them reaches a service. Logging in is for each facade's own users, and not when suspended.
import { signToken } from './client';
import { ADMIN, FACADES as BUILDS, type FacadeName, JWT_SECRET, PASSWORD, SUPPORT, usePlatform } from './harness';

const now = () => Math.floor(Date.now() / 1000);

/** A route of each facade that needs a token, and a role that facade does not serve. */
const FACADES: Record<FacadeName, { path: string; foreignRole: string }> = {
  web: { path: '/me', foreignRole: 'support' },
  admin: { path: '/users', foreignRole: 'support' },
  support: { path: '/me', foreignRole: 'customer' },
};
const NAMES = Object.keys(FACADES) as FacadeName[];

describe('authentication on every facade', () => {
  const platform = usePlatform();
  /** A real token of each facade, from logging in to it, and whose it is. */
  const tokens = {} as Record<FacadeName, { token: string; sub: string; role: string }>;

  beforeAll(async () => {
    const customer = await platform.signUp('Ann');
    tokens.web = { token: customer.token, sub: customer.id, role: 'customer' };
    for (const [name, account] of [['admin', ADMIN], ['support', SUPPORT]] as const) {
      const login = await platform[name].post('/login', account);
      tokens[name] = { token: login.body.token, sub: login.body.user.id, role: name };
    }
  });

  const unauthorized = { error: 'UNAUTHORIZED', message: expect.any(String), details: [] };

  describe.each(NAMES)('the %s facade', (name) => {
    const { path, foreignRole } = FACADES[name];
    const call = (headers: Record<string, string>) => platform[name].request('GET', path, { headers });
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const own = () => tokens[name];

    it('answers its own users’ tokens', async () => {
      const reply = await call(bearer(own().token));
      expect(reply.status).toBe(200);
      expect(reply.rpcCalls).not.toEqual([]);
    });

    const refusals: [string, () => Record<string, string>, number][] = [
      ['no token', () => ({}), 401],
      ['an Authorization header that is not Bearer', () => ({ authorization: `Token ${own().token}` }), 401],
      ['a token that is not a JWT', () => bearer('not-a-jwt'), 401],
      ['an expired token', () => bearer(signToken({ secret: JWT_SECRET, aud: name, ...own(), iat: now() - 7200, exp: now() - 3600 })), 401],
      ['a token signed with another key', () => bearer(signToken({ secret: 'another-secret-another-secret-0123', aud: name, ...own() })), 401],
      ['an unsigned token (alg none)', () => bearer(unsigned({ aud: name, sub: own().sub, role: own().role })), 401],
      ['a token with its signature cut off', () => bearer(own().token.split('.').slice(0, 2).join('.') + '.'), 401],
      ...NAMES.filter((other) => other !== name).map(
        (other) => [`the ${other} facade’s own token (right key, its audience)`, () => bearer(tokens[other].token), 401] as [string, () => Record<string, string>, number],
      ),
      [`a valid token of a role it does not serve (${foreignRole})`, () => bearer(signToken({ secret: JWT_SECRET, aud: name, sub: own().sub, role: foreignRole })), 403],
    ];

    it.each(refusals)('refuses %s, reaching no service', async (_case, headers, status) => {
      const reply = await call(headers());
      expect(reply.status).toBe(status);
      expect(reply.body).toEqual(status === 401 ? unauthorized : { error: 'FORBIDDEN', message: expect.any(String), details: [] });
      expect(reply.rpcCalls).toEqual([]);
    });

    it('says the token expired when it did', async () => {
      const expired = signToken({ secret: JWT_SECRET, aud: name, ...own(), iat: now() - 7200, exp: now() - 3600 });
      expect((await call(bearer(expired))).body.message).toMatch(/expired/);
    });
  });

  it('lets each facade’s own users log in only: others are 403 with no token', async () => {
    const customer = await platform.signUp('Bob');
    const attempts: [FacadeName, { email: string; password: string }, RegExp][] = [
      ['admin', { email: customer.email, password: PASSWORD }, /for admins/],
      ['admin', SUPPORT, /for admins/],
      ['support', { email: customer.email, password: PASSWORD }, /for support staff/],
      ['web', ADMIN, /for customers/],
      ['web', SUPPORT, /for customers/],
    ];
    for (const [facade, account, message] of attempts) {
      const reply = await platform[facade].post('/login', account);
      expect({ facade, email: account.email, status: reply.status }).toEqual({ facade, email: account.email, status: 403 });
      expect(reply.body).toEqual({ error: 'FORBIDDEN', message: expect.stringMatching(message), details: [] });
    }
  });

  it('answers a wrong password and an unknown email alike: 401, no token', async () => {
    const customer = await platform.signUp('Cy');
    const wrong = await platform.web.post('/login', { email: customer.email, password: 'wrong horse battery' });
    const unknown = await platform.web.post('/login', { email: `nobody-${customer.email}`, password: PASSWORD });
    for (const reply of [wrong, unknown]) {
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ error: 'UNAUTHORIZED', message: 'wrong email or password', details: [] });
    }
  });

  it('refuses a suspended customer’s and a suspended support agent’s login: 403', async () => {
    const admin = await platform.admin.login(ADMIN.email, ADMIN.password);
    const customer = await platform.signUp('Dee');
    const agent = await platform.signUp('Eli');
    expect((await platform.admin.put(`/users/${agent.id}/role`, { role: 'support' }, admin)).status).toBe(200);
    for (const user of [customer, agent]) {
      expect((await platform.admin.post(`/users/${user.id}/suspend`, { reason: 'e2e: suspended' }, admin)).status).toBe(200);
    }

    const suspended = { error: 'FORBIDDEN', message: 'this account is suspended', details: [] };
    const web = await platform.web.post('/login', { email: customer.email, password: PASSWORD });
    expect(web.status).toBe(403);
    expect(web.body).toEqual(suspended);
    const support = await platform.support.post('/login', { email: agent.email, password: PASSWORD });
    expect(support.status).toBe(403);
    expect(support.body).toEqual(suspended);
  });
});

describe('tokens of accounts changed since they logged in', () => {
  const platform = usePlatform();

  it('stops a suspended customer’s still valid token (403) and a demoted agent’s (401), and lets them back once reactivated', async () => {
    // Facades that trust no standing at all (ttl 0): the default trusts one for 30 s.
    const check = (name: FacadeName) => ({ callerCheck: { ...BUILDS[name].callerCheck, ttlMs: 0 } });
    const [web, support] = await Promise.all([platform.startFacade('web', check('web')), platform.startFacade('support', check('support'))]);
    const admin = await platform.admin.login(ADMIN.email, ADMIN.password);
    const customer = await platform.signUp('Fay');
    const agent = await platform.signUp('Gus');
    expect((await platform.admin.put(`/users/${agent.id}/role`, { role: 'support' }, admin)).status).toBe(200);
    const agentToken = await support.login(agent.email, PASSWORD);
    expect((await web.get('/me', customer.token)).status).toBe(200);
    expect((await support.get('/me', agentToken)).status).toBe(200);

    expect((await platform.admin.post(`/users/${customer.id}/suspend`, { reason: 'e2e: chargeback' }, admin)).status).toBe(200);
    expect((await platform.admin.put(`/users/${agent.id}/role`, { role: 'customer' }, admin)).status).toBe(200);

    const suspended = await web.post('/projects', { name: 'After suspension' }, customer.token);
    expect(suspended.status).toBe(403);
    expect(suspended.body).toEqual({ error: 'FORBIDDEN', message: 'this account is suspended', details: [] });
    expect(suspended.rpcCalls).toEqual(['user.getUser']);
    expect(await platform.db('project')('projects').where({ owner_id: customer.id })).toEqual([]);
    const demoted = await support.get(`/customers?email=${encodeURIComponent(customer.email)}`, agentToken);
    expect(demoted.status).toBe(401);
    expect(demoted.body).toEqual({ error: 'UNAUTHORIZED', message: 'your role has changed: log in again', details: [] });

    expect((await platform.admin.post(`/users/${customer.id}/reactivate`, { reason: 'e2e: resolved' }, admin)).status).toBe(200);
    expect((await web.post('/projects', { name: 'After reactivation' }, customer.token)).status).toBe(201);
  });
});

/** A JWT with `alg: none` and no signature: what a forger sends hoping the check is skipped. */
function unsigned(payload: Record<string, unknown>): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...payload, iat: now(), exp: now() + 3600 })}.`;
}
