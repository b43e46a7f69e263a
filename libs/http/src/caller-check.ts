// A token says who called and with which role until it expires; an account suspended or given
// another role meanwhile must not keep its old powers that long. With a caller check, a facade
// asks how the token's user stands now (cached briefly, so not once per request), after the
// request is validated (bad input still sends no RPC) and before the handler runs.
import type { ErrorRegistry } from '@platform/shimeji';
import type { FastifyInstance } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { Caller } from './auth';
import * as httpErrors from './http-errors';
import type { RequestRpc } from './rpc';

/** How the token's user stands now. */
export interface CallerStanding {
  role: string;
  active: boolean;
}

/** Plugged into a facade (`buildFacade({ callerCheck })`): how it learns a caller's standing. */
export interface CallerCheck {
  /** The user as they are now, or undefined when they no longer exist. Errors fail the request. */
  lookup(caller: Caller, rpc: Pick<RequestRpc, 'call'>): Promise<CallerStanding | undefined>;
  /** How long a standing is trusted, in ms (default 30 s): a suspension takes effect within it. */
  ttlMs?: number;
  /** Standings kept at most (default 10 000; the oldest go first). */
  maxEntries?: number;
}

export const DEFAULT_CALLER_TTL_MS = 30_000;

interface Known {
  standing: CallerStanding | undefined;
}

type LookupContext = { caller: Caller; rpc: Pick<RequestRpc, 'call'> };

/**
 * The standings a facade has looked up, each trusted for the check's `ttlMs`, the least recently
 * used going first past `maxEntries` (lru-cache, which also has concurrent requests of one user
 * share one look-up).
 */
export class CallerStandings {
  private readonly known?: LRUCache<string, Known, LookupContext>;

  constructor(private readonly check: CallerCheck) {
    const ttl = check.ttlMs ?? DEFAULT_CALLER_TTL_MS;
    if (ttl <= 0) return; // every request asks
    this.known = new LRUCache<string, Known, LookupContext>({
      max: check.maxEntries ?? 10_000,
      ttl,
      fetchMethod: async (_id, _stale, { context }) => ({ standing: await check.lookup(context.caller, context.rpc) }),
    });
  }

  async of(caller: Caller, rpc: Pick<RequestRpc, 'call'>): Promise<CallerStanding | undefined> {
    const known = await this.known?.fetch(caller.id, { context: { caller, rpc } });
    // No cache, or a look-up cut short by `forget`: ask now.
    return known ? known.standing : this.check.lookup(caller, rpc);
  }

  /** Drops what is known of a user: their next request asks again (a suspension, a new role). */
  forget(userId: string): void {
    this.known?.delete(userId);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The facade's caller standings, when it has a caller check. */
    callerStandings?: CallerStandings;
  }
}

export function installCallerCheck(app: FastifyInstance, check: CallerCheck): CallerStandings {
  const standings = new CallerStandings(check);
  app.decorate('callerStandings', standings);
  app.addHook('preHandler', async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === 'public') return;
    const caller = request.user;
    const standing = await standings.of(caller, request.rpc);
    if (!standing) throw new httpErrors.Unauthorized('this account no longer exists');
    if (!standing.active) throw new httpErrors.Forbidden('this account is suspended');
    if (standing.role !== caller.role) throw new httpErrors.Unauthorized('your role has changed: log in again');
  });
  return standings;
}

/**
 * The usual lookup: an RPC (`service.method(callerId)`) answering the user as `{ role, status }`,
 * `status: 'active'` being active; the facade's own `notFound` error class means the user is gone.
 */
export function standingFromRpc(options: {
  service: string;
  method: string;
  notFound: abstract new (...args: never[]) => Error;
  ttlMs?: number;
}): CallerCheck {
  return {
    ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
    lookup: async (caller, rpc) => {
      try {
        const user = await rpc.call<{ role: string; status: string }>(options.service, options.method, [caller.id]);
        return { role: user.role, active: user.status === 'active' };
      } catch (error) {
        if (error instanceof options.notFound) return undefined;
        throw error;
      }
    },
  };
}

/** Where every facade asks how a caller stands: the user service's own `getUser`. */
export const USER_STANDING = { service: 'user', method: 'getUser', notFound: 'user.exceptions.NotFound' } as const;

/**
 * Every facade's caller check: `user.getUser(callerId)`, the class the facade registered for
 * `user.exceptions.NotFound` meaning the user is gone. Without that registration a missing
 * user would fail every request as INTERNAL, so it is refused here, when the facade is defined.
 */
export function userServiceStanding(remoteErrors: ErrorRegistry, options: { ttlMs?: number } = {}): CallerCheck {
  const notFound = remoteErrors.lookup(USER_STANDING.notFound);
  if (!notFound) throw new Error(`the facade's remote errors register no ${USER_STANDING.notFound}: its caller check needs it`);
  return standingFromRpc({ service: USER_STANDING.service, method: USER_STANDING.method, notFound, ...options });
}
