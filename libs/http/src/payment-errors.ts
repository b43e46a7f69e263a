// The payment service's errors as the facades that pay or refund consume them, and how they reach
// HTTP: one declaration for every such facade, as the login's are one (session.ts). A facade
// registers the classes under payment's paths in its remote-errors.ts and adds the rules to its
// translation in http-errors.ts.
import type { ErrorTranslation } from './error-translation';
import * as httpErrors from './http-errors';

/** Travels with `exc_args = [message, reason]`, the reason being Stripe's decline code. */
export class PaymentDeclined extends Error {
  constructor(message: string, readonly reason = 'generic_decline') {
    super(message);
  }
}
/** Stripe cannot be reached now; the order stays payable and the same call may be made again. */
export class PaymentProviderUnavailable extends Error {}
/** Stripe answered something payment does not understand. */
export class PaymentProviderError extends Error {}

/**
 * When to try again after Stripe could not be reached: payment's SDK has already retried for a
 * few seconds, and a retry is safe (the same idempotency key, charged at most once).
 */
const RETRY_AFTER_SECONDS = '10';

/** Adds the payment provider's rules to a facade's translation: 402, 503 with Retry-After, 502. */
export function withPaymentErrors(translation: ErrorTranslation): ErrorTranslation {
  return (
    translation
      .on(PaymentDeclined, httpErrors.PaymentRequired, (e) => [e.message, [{ field: 'payment_method_id', message: e.reason }]])
      .on(PaymentProviderUnavailable, httpErrors.PaymentProviderUnavailable, () => [
        'the payment provider cannot be reached: try again shortly',
        [],
        { 'retry-after': RETRY_AFTER_SECONDS },
      ])
      // Stripe's own words stay in payment's log: they may name keys or requests.
      .on(PaymentProviderError, httpErrors.BadGateway, () => ['the payment provider gave an answer that could not be used'])
  );
}
