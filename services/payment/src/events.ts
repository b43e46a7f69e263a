// The events the payment service announces, and their bodies, built from the transaction as
// recorded and dumped through their schemas. Their shapes are a contract with the project and
// messaging services (README: Events dispatched).
import { dump } from '@platform/schemas';
import type { TransactionRow } from './dependencies/db';
import * as schemas from './schemas';

export const PAYMENT_TAKEN = 'payment_taken';
export const PAYMENT_FAILED = 'payment_failed';
export const PAYMENT_REFUNDED = 'payment_refunded';

/** What every event says about the transaction, its order and its project. */
function about(t: TransactionRow) {
  return {
    transaction: { id: t.id },
    order: { id: t.order_id, description: t.description, amount: t.amount, currency: t.currency },
    project: { id: t.project_id, name: t.project_name },
  };
}

/** A paid transaction: who paid, with which card, how much. */
export const paymentTaken = (t: TransactionRow) =>
  dump(schemas.PaymentTaken, { ...about(t), payment_method: { id: t.payment_method_id }, paid_by: { id: t.paid_by }, amount: t.amount, currency: t.currency });

/** A declined attempt, with the decline's reason; ids only, the order and project by reference. */
export function paymentFailed(t: TransactionRow, reason: string) {
  const { transaction, order, project } = about(t);
  return dump(schemas.PaymentFailed, { transaction, order: { id: order.id }, project: { id: project.id }, paid_by: { id: t.paid_by }, reason });
}

/** A refunded transaction: who asked for it, why, and how much went back. */
export const paymentRefunded = (t: TransactionRow, by: { actorId: string; reason: string }) =>
  dump(schemas.PaymentRefunded, { ...about(t), paid_by: { id: t.paid_by }, actor: { id: by.actorId }, reason: by.reason, amount: t.amount, currency: t.currency });
