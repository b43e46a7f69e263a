// For facade tests: the checks of what every facade inherits from this lib (tokens, the one
// error shape, body parsing, ids, rate limits), declared once and run on each facade's own routes,
// so a facade's test files keep only its routes, roles and fields.
//
//   describeFacadeAuth({ app: webApp, tokenWith, bearer, protectedRoute: { method: 'GET', url: '/me' }, otherAudiences: ['admin'] });
//   describeFacadeValidation({ app: webApp, bearer, malformedJson: { method: 'POST', url: '/projects' } });
import type { FacadeUnderTest } from './facade-under-test';
import type { FakeRpc } from './fake-rpc';
import type { TokenSigner } from './tokens';

export interface FacadeRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: Record<string, unknown>;
  /** It takes no token (a login): none is sent, so the check holds for anyone. */
  public?: boolean;
}

/** A route with the field its check expects the facade to name. */
export type FacadeField = FacadeRoute & { field: string };

export interface FacadeAuthChecks extends TokenSigner {
  app: FacadeUnderTest['app'];
  /** A route the default caller may use: every bad token is refused on it. */
  protectedRoute: FacadeRoute;
  /** Answers for the protected route, so that a token let in by mistake fails on its status rather than on the fake. */
  rpc?: () => FakeRpc;
  /** The other facades' audiences: their tokens are valid there, and must not be here. */
  otherAudiences: string[];
  /** A role with a valid token that the facade still refuses, on `route` (default: the protected route). */
  refusedRole?: { role: string; route?: FacadeRoute };
  /** A protected route with an invalid body. */
  invalidBody?: FacadeRoute;
  /** A body naming the caller in `field`, which only the token may say. */
  callerInBody?: FacadeField;
}

export interface FacadeValidationChecks extends Pick<TokenSigner, 'bearer'> {
  app: FacadeUnderTest['app'];
  /** A body with an unknown `field`. */
  unknownField?: FacadeField;
  /** Routes that parse a JSON body, one per check (they may be the same). */
  malformedJson?: FacadeRoute;
  notJson?: FacadeRoute;
  oversized?: FacadeRoute;
  /** Ids that are not UUIDs, each in `field`. */
  notUuid?: FacadeField[];
  /** Routes under a rate limit; an empty body is invalid on each, so no RPC is ever due. */
  rateLimited?: (Pick<FacadeRoute, 'method' | 'url'> & { limit: 'login' | 'payment' })[];
}

/** How a check sends its request, where it differs from the route's own. */
interface Send {
  headers?: Record<string, string>;
  payload?: string | object;
  options?: { bodyLimit: number };
}

function request(route: FacadeRoute, bearer: TokenSigner['bearer'], headers: Record<string, string> = {}) {
  return { method: route.method, url: route.url, payload: route.payload, headers: { ...(route.public ? {} : bearer()), ...headers } };
}

/** Declares the authentication tests every facade passes: bad tokens 401, other roles 403, the caller from the token. */
export function describeFacadeAuth(checks: FacadeAuthChecks): void {
  const { app: facadeApp, tokenWith, bearer, protectedRoute: route } = checks;

  describe('authentication, as every facade does it', () => {
    const refused: [string, Record<string, string>][] = [
      ['no token', {}],
      ['a malformed header', { authorization: 'Token abc' }],
      ['an expired token', bearer(tokenWith({ expired: true }))],
      ['a token signed with another key', bearer(tokenWith({ key: 'another-secret-another-secret-123' }))],
      ...checks.otherAudiences.map((aud): [string, Record<string, string>] => [`a token for the ${aud} facade`, bearer(tokenWith({ aud }))]),
    ];

    test.each(refused)('%s is refused with 401 in the one error shape, and no RPC is sent', async (_name, headers) => {
      const { app, rpc } = await facadeApp(checks.rpc?.());
      const res = await app.inject({ method: route.method, url: route.url, payload: route.payload, headers });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: 'UNAUTHORIZED', message: expect.any(String), details: [] });
      expect(rpc.calls).toHaveLength(0);
    });

    const { refusedRole, invalidBody, callerInBody } = checks;
    if (refusedRole) {
      test(`a valid token with the ${refusedRole.role} role is refused with 403, and no RPC is sent`, async () => {
        const { app, rpc } = await facadeApp();
        const to = refusedRole.route ?? route;
        const res = await app.inject({ method: to.method, url: to.url, payload: to.payload, headers: bearer(tokenWith({ role: refusedRole.role })) });
        expect(res.statusCode).toBe(403);
        expect(rpc.calls).toHaveLength(0);
      });
    }

    if (invalidBody) {
      // The token is checked first, so a caller without one learns nothing of what the route expects.
      test('an invalid body without a token is 401, not 400', async () => {
        const { app } = await facadeApp();
        const res = await app.inject({ method: invalidBody.method, url: invalidBody.url, payload: invalidBody.payload });
        expect(res.statusCode).toBe(401);
      });
    }

    if (callerInBody) {
      test(`the caller is the token’s, never the body’s: naming it in ${callerInBody.field} is 400, and no RPC is sent`, async () => {
        const { app, rpc } = await facadeApp();
        const res = await app.inject(request(callerInBody, bearer));
        expect(res.statusCode).toBe(400);
        expect(res.json().details).toEqual([{ field: callerInBody.field, message: 'unknown field' }]);
        expect(rpc.calls).toHaveLength(0);
      });
    }
  });
}

/** Declares the validation tests every facade passes: bodies, ids, unknown routes, rate limits, each refused before any RPC. */
export function describeFacadeValidation(checks: FacadeValidationChecks): void {
  const { app: facadeApp, bearer, unknownField, malformedJson, notJson, oversized, notUuid, rateLimited } = checks;

  /** A test that `route`, sent as `send` says, is refused with `status` and a body like `body`, before any RPC. */
  const refuses = (title: string, route: FacadeRoute | undefined, status: number, body: object, send: Send = {}) => {
    if (!route) return;
    test(title, async () => {
      const { app, rpc } = await facadeApp(undefined, send.options);
      const res = await app.inject({ ...request(route, bearer, send.headers), ...(send.payload === undefined ? {} : { payload: send.payload }) });
      expect(res.statusCode).toBe(status);
      expect(res.json()).toMatchObject(body);
      expect(rpc.calls).toHaveLength(0);
    });
  };

  describe('validation, as every facade does it, before any RPC', () => {
    refuses(`an unknown field (${unknownField?.field}) is 400 naming it as unknown`, unknownField, 400, {
      error: 'VALIDATION_FAILED',
      details: [{ field: unknownField?.field, message: 'unknown field' }],
    });
    refuses('malformed JSON is 400 MALFORMED_JSON', malformedJson, 400, { error: 'MALFORMED_JSON', details: [{ field: 'body' }] }, {
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    refuses('a body that is not JSON is 415', notJson, 415, { error: 'UNSUPPORTED_MEDIA_TYPE', details: [{ field: 'content-type' }] }, {
      headers: { 'content-type': 'text/plain' },
      payload: 'name=x',
    });
    refuses('an oversized body is 413', oversized, 413, { error: 'PAYLOAD_TOO_LARGE', details: [{ field: 'body' }] }, {
      options: { bodyLimit: 1024 },
      payload: { padding: 'x'.repeat(2000) },
    });

    test('an unknown route is 404 in the one error shape', async () => {
      const { app } = await facadeApp();
      const res = await app.inject({ method: 'GET', url: '/nowhere' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: 'NOT_FOUND', message: 'no route GET /nowhere', details: [] });
    });

    // `.each` refuses an empty table, and a facade may have no such route.
    if (notUuid?.length) {
      test.each(notUuid)('$method $url: an id that is not a UUID is 400 VALIDATION_FAILED naming $field', async (route) => {
        const { app, rpc } = await facadeApp();
        const res = await app.inject(request(route, bearer));
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: [{ field: route.field, message: 'must be a UUID' }] });
        expect(rpc.calls).toHaveLength(0);
      });
    }

    if (rateLimited?.length) {
      test.each(rateLimited)('$method $url is under the $limit rate limit: past it 429 with retry-after, before any RPC', async ({ method, url, limit }) => {
        const { app, rpc } = await facadeApp(undefined, { rateLimits: { [limit]: { max: 1, timeWindow: '1 minute' } } });
        const invalid = { method, url, headers: bearer(), payload: {} };
        expect((await app.inject(invalid)).statusCode).toBe(400);
        const res = await app.inject(invalid);
        expect(res.statusCode).toBe(429);
        expect(res.json()).toMatchObject({ error: 'TOO_MANY_REQUESTS', details: [] });
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(rpc.calls).toHaveLength(0);
      });
    }
  });
}
