// Logging in to a facade: the user service says whose the credentials are; the facade hands a
// token only to the roles it serves, and tells anyone else whom the application is for.
import type { FastifyInstance } from 'fastify';
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
