// What a transaction's state lets a call do with its payment (pay, confirm, refund) and, when it
// may not, why: a BadRequest naming the state and the argument it came from. Plain decisions on
// the transaction as read; the entrypoints act on them.
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
 * Anything else is refused (`whyCannotPay`).
 */
export type PayStep = 'send-again' | 'as-it-is' | 'new-attempt';

export function payStep(t: TransactionRow, by: PaymentBy): PayStep {
  if (t.state === 'cancelled') throw new exc.OrderCancelled(`order ${t.order_id} was cancelled: it cannot be paid`);
  if (t.state === 'processing' && !t.payment_intent_id) return 'send-again';
  if ((t.state === 'paid' || t.state === 'processing') && isSamePayment(t, by)) return 'as-it-is';
  if (!canAttemptPayment(t.state)) throw whyCannotPay(t);
  return 'new-attempt';
}

/** Why a transaction cannot be paid now, naming its state. */
export function whyCannotPay(t: TransactionRow): exc.BadRequest {
  const message =
    t.state === 'paid'
      ? `order ${t.order_id} is already paid`
      : t.state === 'processing'
        ? `order ${t.order_id} has a payment awaiting confirmation (payment intent ${t.payment_intent_id}): confirm it, or wait`
        : `order ${t.order_id} is ${t.state}: it cannot be paid`;
  return refusal(message, 'orderId');
}

/** Confirming a payment intent: a paid (or since refunded) one is answered as it is; only a processing one is confirmed. */
export function confirmStep(t: TransactionRow, paymentIntentId: string): 'as-it-is' | 'confirm' {
  if (t.state === 'paid' || t.state === 'refunded') return 'as-it-is';
  if (t.state !== 'processing') throw refusal(`payment intent ${paymentIntentId} of order ${t.order_id} is ${t.state}: it cannot be confirmed`, 'paymentIntentId');
  return 'confirm';
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
 * - `wait`: a payment awaits 3-D Secure: it may still be paid or fail, so later again;
 * - `refund`: paid: the money goes back.
 */
export type CancelStep = 'as-it-is' | 'close' | 'settle-first' | 'wait' | 'refund';

export function cancelStep(t: TransactionRow): CancelStep {
  if (t.state === 'cancelled' || t.state === 'refunded') return 'as-it-is';
  if (t.state === 'paid') return 'refund';
  if (t.state === 'processing') return t.payment_intent_id ? 'wait' : 'settle-first';
  return 'close';
}

const refusal = (message: string, field: string) => new exc.BadRequest(message, [{ field, message }]);
