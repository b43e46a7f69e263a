// Every error the emulator answers with, in one catalogue: Stripe's JSON shape
// `{ error: { type, code, decline_code, message, param } }` (absent fields left out, as Stripe
// does) and Stripe's HTTP status for each kind: 400 invalid request, 401 bad key, 402 card
// error, 404 no such object in the path, 409 idempotency key in use.

export type ErrorType = 'invalid_request_error' | 'card_error' | 'idempotency_error' | 'api_error';

export interface ErrorBody {
  type: ErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  /** Card errors carry the objects they are about, as Stripe's do. */
  charge?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
}

const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`;

function invalid(status: number, message: string, fields: Omit<ErrorBody, 'type' | 'message'> = {}): StripeApiError {
  const body: ErrorBody = { type: 'invalid_request_error', message, ...fields };
  if (body.code) body.doc_url = docUrl(body.code);
  return new StripeApiError(status, body);
}

export const errors = {
  missingApiKey: () =>
    invalid(401, 'You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. \'Authorization: Bearer YOUR_SECRET_KEY\').'),
  invalidApiKey: (key: string) => invalid(401, `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`, { code: 'api_key_invalid' }),
  unrecognizedUrl: (method: string, path: string) =>
    invalid(404, `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`),
  unknownParameter: (param: string) => invalid(400, `Received unknown parameter: ${param}`, { code: 'parameter_unknown', param }),
  missingParameter: (param: string) => invalid(400, `Missing required param: ${param}.`, { code: 'parameter_missing', param }),
  invalidInteger: (param: string, value: unknown) => invalid(400, `Invalid integer: ${String(value)}`, { code: 'parameter_invalid_integer', param }),
  invalidParameter: (param: string, message: string) => invalid(400, message, { code: 'parameter_invalid_string', param }),
  amountTooLarge: (param: string) => invalid(400, 'Amount must be no more than 99,999,999', { code: 'amount_too_large', param }),
  /** An object named in the path that does not exist: 404. */
  noSuchInPath: (what: string, id: string) => invalid(404, `No such ${what}: '${id}'`, { code: 'resource_missing', param: 'id' }),
  /** An object named by a parameter that does not exist: 400, naming the parameter. */
  noSuchParameter: (what: string, id: string, param: string) => invalid(400, `No such ${what}: '${id}'`, { code: 'resource_missing', param }),
  paymentMethodAttached: (id: string) =>
    invalid(400, `The payment method ${id} is already attached to a customer. Detach it first or use another payment method.`, {
      code: 'payment_method_unexpected_state',
      param: 'payment_method',
    }),
  paymentMethodOfAnotherCustomer: (id: string) =>
    invalid(400, `The provided PaymentMethod ${id} belongs to another Customer than the one given.`, { param: 'payment_method' }),
  paymentMethodNeedsCustomer: (id: string, customer: string) =>
    invalid(400, `The provided PaymentMethod ${id} is attached to a Customer. Please provide that Customer (${customer}) in the customer parameter.`, {
      param: 'customer',
    }),
  returnUrlRequired: () =>
    invalid(
      400,
      'This PaymentIntent is configured to accept payment methods enabled in your Dashboard, some of which may require a full page redirect to succeed. Set `allowed_payment_method_types`, or `automatic_payment_methods[allow_redirects]` to `never`, or give a `return_url` when confirming.',
    ),
  intentUnexpectedState: (message: string) => invalid(400, message, { code: 'payment_intent_unexpected_state' }),
  missingPaymentMethod: () =>
    invalid(400, "You cannot confirm this PaymentIntent because it's missing a payment method. Update it with a payment method and try again.", {
      code: 'payment_intent_unexpected_state',
    }),
  chargeAlreadyRefunded: (charge: string) => invalid(400, `Charge ${charge} has already been refunded.`, { code: 'charge_already_refunded' }),
  refundTooLarge: (amount: number, left: number) =>
    invalid(400, `Refund amount (${amount}) is greater than the amount that can be refunded (${left}).`, { code: 'amount_too_large', param: 'amount' }),
  idempotencyMismatch: (key: string) =>
    new StripeApiError(400, {
      type: 'idempotency_error',
      message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    }),
  idempotencyInProgress: () =>
    new StripeApiError(409, {
      type: 'idempotency_error',
      code: 'idempotency_key_in_use',
      doc_url: docUrl('idempotency_key_in_use'),
      message: 'There is currently another in-progress request using this Stripe API Key and idempotency key. Please try again later.',
    }),
  cardDeclined: (code: string, declineCode: string, message: string, about: Pick<ErrorBody, 'charge' | 'payment_intent' | 'payment_method'>) =>
    new StripeApiError(402, { type: 'card_error', code, decline_code: declineCode, message, doc_url: docUrl(code), ...about }),
  internal: () => new StripeApiError(500, { type: 'api_error', message: 'An unexpected error occurred in the Stripe emulator.' }),
};
