// Refunding a paid transaction: Stripe refunds it under the transaction's refund key, and the
// refund is recorded and announced once. A concurrent refund (under the same key, so the same
// refund at Stripe) stands as it is.
import { randomUUID } from 'node:crypto';
import { ConcurrencyConflict } from '@platform/db';
import type { Dispatch } from '@platform/shimeji';
import type { TransactionRow } from './dependencies/db';
import type { Refunds } from './dependencies/refunds';
import type { StripeApi } from './dependencies/stripe';
import type { Transactions } from './dependencies/transactions';
import { PAYMENT_REFUNDED, paymentRefunded } from './events';
import * as exc from './exceptions';
import { fromStripe, type ProviderFaults } from './stripe-errors';
import { refundMetadata, stripeKeys } from './stripe-keys';

/** What refunding works with: the worker's transactions and refunds, Stripe and outbox; a PaymentService worker is one. */
export interface Refunding {
  db: { transactions: Pick<Transactions, 'markRefunded' | 'getById'>; refunds: Pick<Refunds, 'add'> };
  stripe: Pick<StripeApi, 'refund' | 'NotFound' | 'PaymentMethodError' | 'InProgress' | ProviderFaults>;
  dispatch: Dispatch;
}

/** Gives a paid transaction's money back, in full, recording who asked and why; the transaction as refunded. */
export async function refund(w: Refunding, paid: TransactionRow, by: { reason: string; actorId: string }): Promise<TransactionRow> {
  const made = await fromStripe(w.stripe, () => w.stripe.refund(paid.payment_intent_id!, stripeKeys.refund(paid), refundMetadata(paid)));
  let refunded: TransactionRow;
  try {
    refunded = await w.db.transactions.markRefunded(paid);
  } catch (error) {
    if (!(error instanceof ConcurrencyConflict)) throw error;
    const now = await w.db.transactions.getById(paid.id);
    if (now.state === 'refunded') return now; // a concurrent call refunded it, under the same key: once
    throw new exc.ConcurrentChange(`order ${paid.order_id} changed meanwhile; read it again`);
  }
  await w.db.refunds.add({
    id: randomUUID(),
    transaction_id: refunded.id,
    stripe_refund_id: made.id,
    amount: made.amount,
    currency: refunded.currency,
    reason: by.reason,
    actor_id: by.actorId,
  });
  w.dispatch(PAYMENT_REFUNDED, paymentRefunded(refunded, by));
  return refunded;
}
