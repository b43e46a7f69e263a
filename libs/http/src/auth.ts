// JWT authentication with the facade's own audience, and access checks that deny by default:
// every route declares `config.access` ('public' or the roles that may call it).
import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as httpErrors from './http-errors';

export type Access = 'public' | readonly string[];

/** Who the token says is calling. */
export interface Caller {
  id: string;
  role: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; role: string };
    user: Caller;
  }
}

export interface AuthOptions {
  secret: string;
  audience: string;
  expiresIn: string;
  /** Route URLs that need no declared access (the docs pages). */
  openPrefixes: string[];
}

/** How many verified tokens a facade remembers. */
const VERIFIED_TOKENS_KEPT = 10_000;

export async function installAuth(app: FastifyInstance, options: AuthOptions): Promise<void> {
  await app.register(jwt, {
    secret: options.secret,
    sign: { aud: options.audience, expiresIn: options.expiresIn },
    // Verified tokens are kept (fast-jwt's LRU, keyed by a hash of the token, each entry no longer
    // than its token's exp): a client sends the same token on every request, and checking its
    // signature and claims each time was ~5% of a read's CPU. Standing changes are the caller
    // check's concern, not the token's.
    verify: { allowedAud: options.audience, cache: VERIFIED_TOKENS_KEPT },
    formatUser: (payload) => ({ id: payload.sub, role: payload.role }),
  });

  const isOpen = (url: string | undefined) => url !== undefined && options.openPrefixes.some((p) => url.startsWith(p));

  app.addHook('onRoute', (route) => {
    if (route.config?.access === undefined && !isOpen(route.url)) {
      throw new Error(`${route.method} ${route.url} declares no access: give config.access ('public' or roles)`);
    }
  });

  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const access = request.routeOptions.config.access;
    if (access === 'public') return;
    if (access === undefined) {
      if (isOpen(request.routeOptions.url)) return;
      throw new httpErrors.Forbidden('this route is closed');
    }
    await authenticate(request);
    if (!access.includes(request.user.role)) throw new httpErrors.Forbidden('your role may not do this');
  });
}

async function authenticate(request: FastifyRequest): Promise<void> {
  try {
    await request.jwtVerify();
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message =
      code === 'FST_JWT_NO_AUTHORIZATION_IN_HEADER'
        ? 'log in first: send Authorization: Bearer <token>'
        : code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED'
          ? 'the token has expired: log in again'
          : 'the token is not valid here';
    throw new httpErrors.Unauthorized(message);
  }
  const user = request.user as Partial<Caller> | undefined;
  if (typeof user?.id !== 'string' || typeof user.role !== 'string') {
    throw new httpErrors.Unauthorized('the token is not valid here');
  }
}
