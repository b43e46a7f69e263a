// The payment service's contract of errors. They travel as `payment.exceptions.<Name>`.
import { InvalidArguments } from '@platform/schemas';

/**
 * An argument is missing, of the wrong type or out of range (`details` names the fields), or the
 * transaction's state does not allow what was asked (paid already, say): the message names it.
 */
export class BadRequest extends InvalidArguments {}

/** No such payment method or customer (a user who never added a payment method). */
export class NotFound extends Error {}

/** No transaction for that order (or payment intent): payment has not heard of the order. */
export class TransactionNotFound extends Error {}

/**
 * The card was declined. `reason` is Stripe's decline code (`insufficient_funds`,
 * `generic_decline`, …); it travels as `exc_args = [message, reason]`. The transaction is
 * `failed`, and a new attempt (another card, say) may follow.
 */
export class PaymentDeclined extends Error {
  readonly args: unknown[];

  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.args = [message, reason];
  }
}

/** The order was cancelled: it can no longer be paid. */
export class OrderCancelled extends Error {}

/** The transaction changed meanwhile (another call acted on it): read it again and retry. */
export class ConcurrentChange extends Error {}

/**
 * Stripe could not be reached or could not answer now (refused or lost connection, timeout, its
 * own failure, rate limiting). Nothing new is recorded as paid: the transaction stays payable, and
 * the same call later goes to Stripe under the same idempotency key, so it charges at most once.
 */
export class PaymentProviderUnavailable extends Error {}

/** Stripe answered something payment does not understand (a bad API key, an idempotency clash): a fault to look at, not to retry. */
export class PaymentProviderError extends Error {}

/**
 * No payment of the order awaits authentication (3-D Secure) for this payer: there is nothing to
 * confirm or abandon (it was paid, abandoned, or never needed it). The message names the state.
 */
export class NotAwaitingAuthentication extends Error {}
