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

function httpError(statusCode: number, code: string) {
  return class extends HttpError {
    static override statusCode = statusCode;
    static override code = code;
  };
}

export class BadRequest extends httpError(400, 'BAD_REQUEST') {}
export class ValidationFailed extends httpError(400, 'VALIDATION_FAILED') {}
export class MalformedJson extends httpError(400, 'MALFORMED_JSON') {}
export class Unauthorized extends httpError(401, 'UNAUTHORIZED') {}
export class PaymentRequired extends httpError(402, 'PAYMENT_DECLINED') {}
export class Forbidden extends httpError(403, 'FORBIDDEN') {}
export class NotFound extends httpError(404, 'NOT_FOUND') {}
export class Conflict extends httpError(409, 'CONFLICT') {}
export class PayloadTooLarge extends httpError(413, 'PAYLOAD_TOO_LARGE') {}
export class UnsupportedMediaType extends httpError(415, 'UNSUPPORTED_MEDIA_TYPE') {}
export class IdempotencyKeyReused extends httpError(422, 'IDEMPOTENCY_KEY_REUSED') {}
export class TooManyRequests extends httpError(429, 'TOO_MANY_REQUESTS') {}
export class Internal extends httpError(500, 'INTERNAL') {}
export class BadGateway extends httpError(502, 'BAD_GATEWAY') {}
export class ServiceUnavailable extends httpError(503, 'SERVICE_UNAVAILABLE') {}
export class PaymentProviderUnavailable extends httpError(503, 'PAYMENT_PROVIDER_UNAVAILABLE') {}
export class GatewayTimeout extends httpError(504, 'GATEWAY_TIMEOUT') {}
