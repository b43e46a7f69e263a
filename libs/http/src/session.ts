// Logging in to a facade: the user service says whose the credentials are; the facade hands a
// token only to the roles it serves, and tells anyone else whom the application is for.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Facade } from './facade';
import * as httpErrors from './http-errors';

/** `{ token, user }` for a user in one of `roles`; 403 `this application is for <forWhom>` otherwise. */
export async function sessionFor<U extends { id: string; role: string }>(
  app: FastifyInstance,
  user: U,
  roles: readonly string[],
  forWhom: string,
): Promise<{ token: string; user: U }> {
  if (!roles.includes(user.role)) throw new httpErrors.Forbidden(`this application is for ${forWhom}`);
  return { token: await app.jwt.sign({ sub: user.id, role: user.role }), user };
}

/** What a login sends, held to the user service's own limits. */
export const Login = z.strictObject({
  email: z.email().max(254).meta({ description: 'The email the account was registered with', examples: ['ann@example.com'] }),
  password: z.string().min(1).max(128).meta({ description: 'The account’s password', examples: ['correct horse battery staple'] }),
});

export interface AccountRoutesOptions {
  /** The roles the facade serves: only they get a token, only they see `/me`. */
  roles: readonly string[];
  /** Whom the application is for, as the login's 403 names them ('customers'). */
  forWhom: string;
  /** The user as this facade shows them (its own schema: only the fields named there leave). */
  user: z.ZodType;
  /** Also `GET /me`: the token's user as the user service has them now. */
  whoAmI?: boolean;
}

interface AuthenticatedUser {
  id: string;
  role: string;
}

/** `POST /login` (public, the login rate limit), and `GET /me` when asked for. */
export function accountRoutes(app: Facade, options: AccountRoutesOptions): void {
  const Session = z
    .object({
      token: z.string().describe('The bearer token for every other route (`Authorization: Bearer <token>`), for this application only; it expires'),
      user: options.user.describe('Who logged in'),
    })
    .describe('A session: the token and whose it is');
  app.post(
    '/login',
    {
      config: { access: 'public', limit: 'login' },
      schema: {
        tags: ['accounts'],
        summary: 'Log in',
        description:
          `Anyone may try, under the login rate limit. The email and password of an active account give a token for this ` +
          `application, which is for ${options.forWhom} only: anyone else’s account is 403, and so is a suspended one; wrong ` +
          'credentials are 401. The client sends the token as `Authorization: Bearer <token>` to every other route, and ' +
          'logs in again once it has expired (401).',
        body: Login,
        response: { 200: Session },
      },
    },
    async (request) => {
      const { email, password } = request.body;
      const user = await request.rpc.call<AuthenticatedUser>('user', 'authenticate', [email, password]);
      return sessionFor(app, user, options.roles, options.forWhom);
    },
  );
  if (!options.whoAmI) return;
  app.get(
    '/me',
    {
      config: { access: options.roles },
      schema: {
        tags: ['accounts'],
        summary: 'Show who I am',
        description: 'The account the token was given to, as the platform has it now: a client shows who is logged in with it.',
        security: [{ bearer: [] }],
        response: { 200: options.user.describe('The logged-in account') },
      },
    },
    async (request) => request.rpc.call('user', 'getUser', [request.user.id]),
  );
}
