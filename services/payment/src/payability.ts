// What a transaction's state lets a call do with its payment (pay, confirm, refund) and, when it
// may not, why: a BadRequest naming the state and the argument it came from. Plain decisions on
// the transaction as read; the entrypoints act on them.
import { authenticationExpired, awaitsAuthentication, DEFAULT_AUTHENTICATION_TIMEOUT_MS, describeTimeout, wasAbandoned } from './authentication';
import type { TransactionRow } from './dependencies/db';
import * as exc from './exceptions';
import { isSamePayment, type PaymentBy } from './same-payment';
import { canAttemptPayment, canMove } from './states';

/**
 * What a call to pay does:
 * - `send-again`: an attempt was begun and never answered (its worker died, or still runs); it
 *   goes to Stripe again under its own key, whoever calls.
 * - `as-it-is`: the same payment again, paid or awaiting confirmation; the answer is the
 *   transaction as it stands.
 * - `new-attempt`: nothing was paid and nothing is under way.
 * - `replace`: an attempt awaiting authentication outlived the timeout: it is given up (cancelled
 *   at Stripe) and the call is a new attempt.
 * Anything else is refused (`whyCannotPay`).
 */
export type PayStep = 'send-again' | 'as-it-is' | 'new-attempt' | 'replace';

/** When a call happens and how long a payer has to authenticate: what decides that an authentication was abandoned. */
export interface Clock {
  now: Date;
  authenticationTimeoutMs: number;
}

const DEFAULT_CLOCK = (): Clock => ({ now: new Date(), authenticationTimeoutMs: DEFAULT_AUTHENTICATION_TIMEOUT_MS });

export function payStep(t: TransactionRow, by: PaymentBy, clock: Clock = DEFAULT_CLOCK()): PayStep {
  if (t.state === 'cancelled') throw new exc.OrderCancelled(`order ${t.order_id} was cancelled: it cannot be paid`);
  if (t.state === 'processing' && !t.payment_intent_id) return 'send-again';
  if (authenticationExpired(t, clock.now, clock.authenticationTimeoutMs)) return 'replace';
  if ((t.state === 'paid' || t.state === 'processing') && isSamePayment(t, by)) return 'as-it-is';
  if (!canAttemptPayment(t.state)) throw whyCannotPay(t, clock.authenticationTimeoutMs);
  return 'new-attempt';
}

/** Why a transaction cannot be paid now, naming its state (and, awaiting authentication, when it may be replaced). */
export function whyCannotPay(t: TransactionRow, authenticationTimeoutMs = DEFAULT_AUTHENTICATION_TIMEOUT_MS): exc.BadRequest {
  const message =
    t.state === 'paid'
      ? `order ${t.order_id} is already paid`
      : t.state === 'processing'
        ? `order ${t.order_id} has a payment awaiting confirmation (3-D Secure, payment intent ${t.payment_intent_id}): confirm it, abandon it, or pay another way after ${describeTimeout(authenticationTimeoutMs)}`
        : `order ${t.order_id} is ${t.state}: it cannot be paid`;
  return refusal(message, 'orderId');
}

/**
 * Confirming a payment intent: a paid (or since refunded) one is answered as it is; only one
 * awaiting authentication is confirmed.
 */
export function confirmStep(t: TransactionRow, paymentIntentId: string): 'as-it-is' | 'confirm' {
  if (t.state === 'paid' || t.state === 'refunded') return 'as-it-is';
  if (!awaitsAuthentication(t)) {
    throw new exc.NotAwaitingAuthentication(`payment intent ${paymentIntentId} of order ${t.order_id} is ${t.state}: it cannot be confirmed`);
  }
  return 'confirm';
}

/**
 * Abandoning the authentication of a payment: its payer gives up (another card, say). One
 * abandoned already is answered as it is; anything but an attempt of theirs awaiting
 * authentication is refused, naming the state.
 */
export function abandonStep(t: TransactionRow, paidBy: string): 'as-it-is' | 'abandon' {
  if (wasAbandoned(t) && t.paid_by === paidBy) return 'as-it-is';
  if (!awaitsAuthentication(t)) throw new exc.NotAwaitingAuthentication(`order ${t.order_id} is ${t.state}: no payment of it awaits authentication`);
  if (t.paid_by !== paidBy) throw new exc.NotAwaitingAuthentication(`order ${t.order_id} awaits another payer's authentication: only they may abandon it`);
  return 'abandon';
}

/** Refunding: a refunded one is answered as it is; only a paid one is refunded. */
export function refundStep(t: TransactionRow): 'as-it-is' | 'refund' {
  if (t.state === 'refunded') return 'as-it-is';
  if (!canMove(t.state, 'refunded')) throw refusal(`order ${t.order_id} is ${t.state}: only a paid order can be refunded`, 'orderId');
  return 'refund';
}

/**
 * What the order's cancellation does to its transaction, so that no money stays for it:
 * - `as-it-is`: closed or given back already (the event came again);
 * - `close`: nothing was paid and nothing is under way: cancelled;
 * - `settle-first`: an attempt was begun and never answered: Stripe's answer first, then again;
 * - `abandon`: a payment awaits 3-D Secure: its payment intent is cancelled at Stripe (or found
 *   paid, then refunded), then again;
 * - `refund`: paid: the money goes back.
 */
export type CancelStep = 'as-it-is' | 'close' | 'settle-first' | 'abandon' | 'refund';

export function cancelStep(t: TransactionRow): CancelStep {
  if (t.state === 'cancelled' || t.state === 'refunded') return 'as-it-is';
  if (t.state === 'paid') return 'refund';
  if (t.state === 'processing') return t.payment_intent_id ? 'abandon' : 'settle-first';
  return 'close';
}

const refusal = (message: string, field: string) => new exc.BadRequest(message, [{ field, message }]);
