// Stripe's Idempotency-Key, on every facade: a client that did not hear the answer (a timeout,
// a 503 during an outage) sends the same request with the same key again, and gets the first
// answer instead of a second order or a second charge. The key travels to the services in the
// RPC context (`idempotency_key`); an idempotent entrypoint records its outcome under it with its
// effects (libs/db). Keys are the caller's own: the facade scopes them by facade and user.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ValidationFailed } from './http-errors';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** How a problem with the header is named in an error's details. */
export const IDEMPOTENCY_KEY_FIELD = 'Idempotency-Key';

const KEY = /^[A-Za-z0-9_.:-]{1,255}$/;

/** The key the services see for this request: the client's, scoped by facade and caller. */
export function scopedIdempotencyKey(request: FastifyRequest, facadeName: string): string | undefined {
  const given = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (typeof given !== 'string') return undefined;
  const caller = (request.user as { id?: string } | undefined)?.id ?? 'anonymous';
  return `${facadeName}:${caller}:${given}`;
}

const MOVES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether a route of `method` creates or moves something, and so takes an Idempotency-Key. */
export function takesIdempotencyKey(method: string | readonly string[]): boolean {
  return (typeof method === 'string' ? [method] : method).some((one) => MOVES.has(one.toUpperCase()));
}

/** How the header reads in the OpenAPI document of every route that creates or moves something. */
const DOCUMENTED = z.looseObject({
  [IDEMPOTENCY_KEY_HEADER]: z
    .string()
    .optional()
    .describe('Any unique value of yours (a UUID will do), sent again with the same request to retry it safely: the first answer is given again. The same key with another request is 422.'),
});

/**
 * Refuses a malformed key before any other work (400 naming the header), and documents the
 * header on every route that creates or moves something.
 */
export function installIdempotencyKeys(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!takesIdempotencyKey(route.method) || route.schema?.headers !== undefined) return;
    route.schema = { ...route.schema, headers: DOCUMENTED };
  });
  app.addHook('preValidation', async (request) => {
    const given = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (given === undefined) return;
    if (typeof given !== 'string' || !KEY.test(given)) {
      const message = 'must be 1 to 255 letters, digits, "_", "-", "." or ":" (a UUID will do), sent once';
      throw new ValidationFailed(`invalid headers: ${IDEMPOTENCY_KEY_FIELD}: ${message}`, [{ field: IDEMPOTENCY_KEY_FIELD, message }]);
    }
  });
}
