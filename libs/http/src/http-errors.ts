// The one JSON error shape every facade answers with: `{ error: CODE, message, details }`.
// A facade throws these; anything else becomes INTERNAL (never a stack or a class name).

export interface ErrorDetail {
  field: string;
  message: string;
}

export interface ErrorBody {
  error: string;
  message: string;
  details: ErrorDetail[];
}

export class HttpError extends Error {
  static statusCode = 500;
  static code = 'INTERNAL';
  /** When a facade answers with it, as its OpenAPI document says. */
  static description = 'something went wrong on our side; it is logged, and never shown';

  /** `headers` go out with the answer: a `retry-after` on a 503 tells a client when to come back. */
  constructor(
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  get statusCode(): number {
    return (this.constructor as typeof HttpError).statusCode;
  }

  get code(): string {
    return (this.constructor as typeof HttpError).code;
  }

  toBody(): ErrorBody {
    return { error: this.code, message: this.message, details: this.details };
  }
}

/** An HTTP error class: what it is called on the wire, its status, and when it is given. */
export type HttpErrorClass = (new (message: string, details?: ErrorDetail[], headers?: Readonly<Record<string, string>>) => HttpError) & {
  readonly statusCode: number;
  readonly code: string;
  readonly description: string;
};

function httpError(statusCode: number, code: string, description: string) {
  return class extends HttpError {
    static override statusCode = statusCode;
    static override code = code;
    static override description = description;
  };
}

export class BadRequest extends httpError(400, 'BAD_REQUEST', 'a service refused the values sent; `details` names each field and why') {}
export class ValidationFailed extends httpError(400, 'VALIDATION_FAILED', 'a field of the path, query, headers or body is missing, unknown or invalid; `details` names each field and why') {}
export class MalformedJson extends httpError(400, 'MALFORMED_JSON', 'the body is not valid JSON') {}
export class Unauthorized extends httpError(401, 'UNAUTHORIZED', 'no token, or one that is expired, not made for this application, or whose account is gone or changed role: log in again') {}
export class PaymentRequired extends httpError(402, 'PAYMENT_DECLINED', 'the card was declined; `details` gives Stripe’s decline code on `payment_method_id`') {}
export class Forbidden extends httpError(403, 'FORBIDDEN', 'the caller may not do this: another role, or a suspended account') {}
export class NotFound extends httpError(404, 'NOT_FOUND', 'no such thing, or none the caller may see') {}
export class Conflict extends httpError(409, 'CONFLICT', 'the thing is not in a state that allows this (already taken, paid, cancelled, changed meanwhile)') {}
export class PayloadTooLarge extends httpError(413, 'PAYLOAD_TOO_LARGE', 'the body is larger than the facade takes') {}
export class UnsupportedMediaType extends httpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'the body is not sent as application/json') {}
export class IdempotencyKeyReused extends httpError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was sent before with another request: use a new key for a new request') {}
export class TooManyRequests extends httpError(429, 'TOO_MANY_REQUESTS', 'past the route’s rate limit: try again after `retry-after` seconds') {}
export class Internal extends httpError(500, 'INTERNAL', 'something went wrong on our side; it is logged, and never shown') {}
export class BadGateway extends httpError(502, 'BAD_GATEWAY', 'the payment provider gave an answer that could not be used') {}
export class ServiceUnavailable extends httpError(503, 'SERVICE_UNAVAILABLE', 'a service cannot do this now (out of reach, or the mail server refused): try again shortly, after `retry-after` seconds where given') {}
export class PaymentProviderUnavailable extends httpError(503, 'PAYMENT_PROVIDER_UNAVAILABLE', 'the payment provider cannot be reached now; nothing was charged twice: try again after `retry-after` seconds') {}
export class GatewayTimeout extends httpError(504, 'GATEWAY_TIMEOUT', 'a service took too long to answer: what was asked may or may not have been done (retry with the same Idempotency-Key where the route takes one)') {}
