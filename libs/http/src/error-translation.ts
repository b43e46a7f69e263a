// A facade's explicit translation of the remote errors it consumes into HTTP errors (the seeds'
// `remote_errors.py` → `http_errors.py`). What is not listed is never shown as it is. Each rule
// names the HTTP error class it answers with, so the table says which statuses a facade can give
// without running it: its OpenAPI document lists them from here.
import { ConnectionLost, Forbidden, IdempotencyKeyReused, NotAuthorized, RpcTimeout, UnknownService } from '@platform/shimeji';
import { IDEMPOTENCY_KEY_FIELD } from './idempotency-keys';
import * as httpErrors from './http-errors';

type ErrorClass<E extends Error = Error> = abstract new (...args: any[]) => E;

/** The constructor arguments of an HTTP error: message, details, headers. */
export type HttpErrorArguments = ConstructorParameters<httpErrors.HttpErrorClass>;

interface Rule {
  from: ErrorClass;
  to: httpErrors.HttpErrorClass;
  args: (error: any) => HttpErrorArguments;
}

/** When a client may try again after a service was out of reach: a broker reconnects in seconds. */
const RETRY_AFTER_SECONDS = 5;

const unavailable = (): HttpErrorArguments => ['a service is not available, try again shortly', [], { 'retry-after': String(RETRY_AFTER_SECONDS) }];

/** What every facade answers for the framework's own errors, after the facade's rules. */
const FRAMEWORK_RULES: readonly Rule[] = [
  {
    from: IdempotencyKeyReused,
    to: httpErrors.IdempotencyKeyReused,
    args: () => [
      'this Idempotency-Key was used for another request: use a new key for a new request',
      [{ field: IDEMPOTENCY_KEY_FIELD, message: 'used for another request' }],
    ],
  },
  // The facade vouched for its caller and a service still refused: the caller may not do this.
  { from: Forbidden, to: httpErrors.Forbidden, args: () => ['you may not do this'] },
  { from: NotAuthorized, to: httpErrors.Forbidden, args: () => ['you may not do this'] },
  { from: RpcTimeout, to: httpErrors.GatewayTimeout, args: () => ['a service took too long to answer'] },
  { from: UnknownService, to: httpErrors.ServiceUnavailable, args: unavailable },
  { from: ConnectionLost, to: httpErrors.ServiceUnavailable, args: unavailable },
];

export class ErrorTranslation {
  private readonly rules: Rule[] = [];

  /**
   * `on(remoteErrors.NotFound, httpErrors.NotFound)` passes the remote error's message on;
   * `on(remoteErrors.InvalidCredentials, httpErrors.Unauthorized, () => ['wrong email or password'])`
   * says what the HTTP error carries (message, details, headers).
   */
  on<E extends Error>(cls: ErrorClass<E>, to: httpErrors.HttpErrorClass, args: (error: E) => HttpErrorArguments = (error) => [error.message]): this {
    this.rules.push({ from: cls, to, args });
    return this;
  }

  /** The HTTP error for any error a route let through; unknown ones become INTERNAL. */
  translate(error: unknown): httpErrors.HttpError {
    if (error instanceof httpErrors.HttpError) return error;
    for (const { from, to, args } of [...this.rules, ...FRAMEWORK_RULES]) if (error instanceof from) return new to(...args(error));
    return new httpErrors.Internal('something went wrong');
  }

  /** Every HTTP error class a translation can answer with, the framework's included (not INTERNAL). */
  answers(): httpErrors.HttpErrorClass[] {
    return [...new Set([...this.rules, ...FRAMEWORK_RULES].map((rule) => rule.to))];
  }
}

/** `exc_args = [message, [{ field, message }]]` as a remote BadRequest carries them. */
export function detailsOf(error: { details?: unknown }): httpErrors.ErrorDetail[] {
  if (!Array.isArray(error.details)) return [];
  return error.details
    .filter((d): d is { field: unknown; message: unknown } => d !== null && typeof d === 'object')
    .map((d) => ({ field: String(d.field), message: String(d.message) }));
}
