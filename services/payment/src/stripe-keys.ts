// The keys Stripe knows an attempt, its confirmation, its cancellation and a refund by, and the metadata sent with
// them. Both are derived from the transaction alone, so the same call always carries the same
// key and the same request: Stripe replays its answer instead of charging (or refunding) twice.
// A new attempt (after a decline) has a new number, so a new key.
import type { TransactionRow } from './dependencies/db';

export const stripeKeys = {
  charge: (t: TransactionRow) => `txn_${t.id}_attempt_${t.attempt}`,
  confirm: (t: TransactionRow) => `txn_${t.id}_attempt_${t.attempt}_confirm`,
  cancel: (t: TransactionRow) => `txn_${t.id}_attempt_${t.attempt}_cancel`,
  refund: (t: TransactionRow) => `refund_${t.id}`,
};

/** What a charge carries for whoever reads it at Stripe: which transaction, order and attempt. */
export const chargeMetadata = (t: TransactionRow): Record<string, string> => ({ transaction_id: t.id, order_id: t.order_id, attempt: String(t.attempt) });

/** What a refund carries for whoever reads it at Stripe: which transaction and order. */
export const refundMetadata = (t: TransactionRow): Record<string, string> => ({ transaction_id: t.id, order_id: t.order_id });
