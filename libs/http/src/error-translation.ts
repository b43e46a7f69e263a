// A facade's explicit translation of the remote errors it consumes into HTTP errors (the seeds'
// `remote_errors.py` → `http_errors.py`). What is not listed is never shown as it is.
import { ConnectionLost, Forbidden, IdempotencyKeyReused, NotAuthorized, RpcTimeout, UnknownService } from '@platform/shimeji';
import { IDEMPOTENCY_KEY_FIELD } from './idempotency-keys';
import * as httpErrors from './http-errors';

type ErrorClass<E extends Error = Error> = abstract new (...args: any[]) => E;

/** When a client may try again after a service was out of reach: a broker reconnects in seconds. */
const RETRY_AFTER_SECONDS = 5;

export class ErrorTranslation {
  private readonly rules: [ErrorClass, (error: any) => httpErrors.HttpError][] = [];

  /** `on(remoteErrors.NotFound, (e) => new httpErrors.NotFound(e.message))` */
  on<E extends Error>(cls: ErrorClass<E>, toHttp: (error: E) => httpErrors.HttpError): this {
    this.rules.push([cls, toHttp]);
    return this;
  }

  /** The HTTP error for any error a route let through; unknown ones become INTERNAL. */
  translate(error: unknown): httpErrors.HttpError {
    if (error instanceof httpErrors.HttpError) return error;
    for (const [cls, toHttp] of this.rules) if (error instanceof cls) return toHttp(error);
    if (error instanceof IdempotencyKeyReused) {
      const message = 'this Idempotency-Key was used for another request: use a new key for a new request';
      return new httpErrors.IdempotencyKeyReused(message, [{ field: IDEMPOTENCY_KEY_FIELD, message: 'used for another request' }]);
    }
    // The facade vouched for its caller and a service still refused: the caller may not do this.
    if (error instanceof Forbidden || error instanceof NotAuthorized) return new httpErrors.Forbidden('you may not do this');
    if (error instanceof RpcTimeout) return new httpErrors.GatewayTimeout('a service took too long to answer');
    if (error instanceof UnknownService || error instanceof ConnectionLost) {
      return new httpErrors.ServiceUnavailable('a service is not available, try again shortly', [], { 'retry-after': String(RETRY_AFTER_SECONDS) });
    }
    return new httpErrors.Internal('something went wrong');
  }
}

/** `exc_args = [message, [{ field, message }]]` as a remote BadRequest carries them. */
export function detailsOf(error: { details?: unknown }): httpErrors.ErrorDetail[] {
  if (!Array.isArray(error.details)) return [];
  return error.details
    .filter((d): d is { field: unknown; message: unknown } => d !== null && typeof d === 'object')
    .map((d) => ({ field: String(d.field), message: String(d.message) }));
}
