// Stripe's Idempotency-Key, on every facade: a client that did not hear the answer (a timeout,
// a 503 during an outage) sends the same request with the same key again, and gets the first
// answer instead of a second order or a second charge. The key travels to the services in the
// RPC context (`idempotency_key`); an idempotent entrypoint records its outcome under it with its
// effects (libs/db). Keys are the caller's own: the facade scopes them by facade and user.
import type { FastifyInstance, FastifyRequest } from 'fastify';
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

/** Refuses a malformed key before any other work: 400 naming the header. */
export function installIdempotencyKeys(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const given = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (given === undefined) return;
    if (typeof given !== 'string' || !KEY.test(given)) {
      const message = 'must be 1 to 255 letters, digits, "_", "-", "." or ":" (a UUID will do), sent once';
      throw new ValidationFailed(`invalid headers: ${IDEMPOTENCY_KEY_FIELD}: ${message}`, [{ field: IDEMPOTENCY_KEY_FIELD, message }]);
    }
  });
}
