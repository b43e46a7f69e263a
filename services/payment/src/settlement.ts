// Settling an attempt under way: it goes to Stripe under its own key, and Stripe's answer is
// recorded once: paid (payment_taken), still awaiting action (3-D Secure, with what the payer's
// client authenticates with), declined (failed, payment_failed, then PaymentDeclined, which the
// database commits: dependencies/db.ts), or abandoned (failed, payment_failed).
import { ConcurrencyConflict } from '@platform/db';
import type { Dispatch } from '@platform/shimeji';
import { ABANDONED } from './authentication';
import type { Outcome, TransactionRow } from './dependencies/db';
import { NO_AUTHENTICATION } from './dependencies/transactions';
import type { Payment, StripeApi } from './dependencies/stripe';
import type { Transactions } from './dependencies/transactions';
import { PAYMENT_FAILED, PAYMENT_TAKEN, paymentFailed, paymentTaken } from './events';
import * as exc from './exceptions';
import { type ProviderFaults, providerFault } from './stripe-errors';
import { chargeMetadata, stripeKeys } from './stripe-keys';

/** The reason given when Stripe refused the payment method itself while charging. */
export const PAYMENT_METHOD_UNAVAILABLE = 'payment_method_unavailable';

/** What settling works with: the worker's transactions, Stripe and outbox; a PaymentService worker is one. */
export interface Settling {
  db: { transactions: Pick<Transactions, 'recordOutcome' | 'getById'> };
  stripe: Pick<StripeApi, 'charge' | 'confirm' | 'CardDeclined' | 'NotFound' | 'PaymentMethodError' | 'InProgress' | ProviderFaults>;
  dispatch: Dispatch;
}

/**
 * Sends the attempt under way to Stripe (a charge under its own key, unless `send` says
 * otherwise) and records the answer: paid, still awaiting action, or failed.
 */
export async function settle(w: Settling, attempt: TransactionRow, send?: () => Promise<Payment>): Promise<TransactionRow> {
  const charge = () =>
    w.stripe.charge(attempt.stripe_customer_id!, attempt.payment_method_id!, attempt.amount, attempt.currency, stripeKeys.charge(attempt), chargeMetadata(attempt));
  let payment: Payment;
  try {
    payment = await (send ?? charge)();
  } catch (error) {
    if (error instanceof w.stripe.CardDeclined) return decline(w, attempt, error.declineCode, error.message, error.paymentIntentId);
    if (!send && (error instanceof w.stripe.NotFound || error instanceof w.stripe.PaymentMethodError)) {
      // The card went away since it was listed (detached, say): for the payer, a decline.
      return decline(w, attempt, PAYMENT_METHOD_UNAVAILABLE, 'Stripe refused the payment method', null);
    }
    if (error instanceof w.stripe.InProgress) throw new exc.ConcurrentChange(`order ${attempt.order_id} is being paid by another call; read it again`);
    // Left processing, payable: the next call sends the attempt again under the same key, so
    // Stripe charges it at most once whether or not this request reached it.
    throw providerFault(w.stripe, error);
  }
  // Cancelled at Stripe meanwhile (another call abandoned it): nothing was charged.
  if (payment.status === 'canceled') return recordAbandoned(w, attempt, ABANDONED);
  const paid = payment.status === 'succeeded';
  const outcome = { state: paid ? ('paid' as const) : ('processing' as const), payment_intent_id: payment.paymentIntentId, ...authenticationOf(attempt, payment) };
  const { transaction, recorded } = await record(w, attempt, outcome);
  if (paid && recorded) w.dispatch(PAYMENT_TAKEN, paymentTaken(transaction));
  return transaction;
}

/** What the payer's client needs to authenticate, kept while the attempt awaits it; since when it waits, kept from the first answer. */
function authenticationOf(attempt: TransactionRow, payment: Payment): Pick<Outcome, 'client_secret' | 'next_action' | 'authentication_started_at'> {
  if (!payment.authentication) return NO_AUTHENTICATION;
  const { clientSecret, nextAction } = payment.authentication;
  return { client_secret: clientSecret, next_action: nextAction, authentication_started_at: attempt.authentication_started_at ?? new Date() };
}

/**
 * Records an attempt given up on authentication failed (once, announcing it as payment_failed
 * with `reason`): no money moved, and the transaction may be paid again.
 */
export async function recordAbandoned(w: Settling, attempt: TransactionRow, reason: string): Promise<TransactionRow> {
  const { transaction, recorded } = await record(w, attempt, { state: 'failed', failure_reason: reason, payment_intent_id: attempt.payment_intent_id, ...NO_AUTHENTICATION });
  if (recorded) w.dispatch(PAYMENT_FAILED, paymentFailed(transaction, reason));
  return transaction;
}

/** Settles an attempt that required action (3-D Secure) by confirming its payment intent, under the confirmation's key. */
export const settleConfirmation = (w: Settling, attempt: TransactionRow): Promise<TransactionRow> =>
  settle(w, attempt, () => w.stripe.confirm(attempt.payment_intent_id!, stripeKeys.confirm(attempt)));

/** Records the attempt failed (once, announcing it) and tells the caller why. */
async function decline(w: Settling, attempt: TransactionRow, reason: string, message: string, paymentIntentId: string | null): Promise<never> {
  const outcome = { state: 'failed' as const, failure_reason: reason, payment_intent_id: paymentIntentId ?? attempt.payment_intent_id, ...NO_AUTHENTICATION };
  const { transaction, recorded } = await record(w, attempt, outcome);
  if (recorded) w.dispatch(PAYMENT_FAILED, paymentFailed(transaction, reason));
  throw new exc.PaymentDeclined(`the payment of order ${attempt.order_id} was declined: ${message}`, reason);
}

/**
 * Records Stripe's answer to the attempt. If a concurrent call recorded the same attempt first
 * (it sent it under the same key, so Stripe told it the same), that record stands and
 * `recorded` is false: nothing is announced twice.
 */
async function record(w: Settling, attempt: TransactionRow, outcome: Outcome): Promise<{ transaction: TransactionRow; recorded: boolean }> {
  try {
    return { transaction: await w.db.transactions.recordOutcome(attempt, outcome), recorded: true };
  } catch (error) {
    if (!(error instanceof ConcurrencyConflict)) throw error;
    const now = await w.db.transactions.getById(attempt.id);
    if (now.attempt !== attempt.attempt) throw new exc.ConcurrentChange(`order ${attempt.order_id} changed meanwhile; read it again`);
    return { transaction: now, recorded: false };
  }
}
