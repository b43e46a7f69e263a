// Transaction rows as storage returns them, for the domain modules' tests: no worker, no fakes.
import { randomUUID } from 'node:crypto';
import type { TransactionRow } from '../../src/dependencies/db';

/** An order's transaction awaiting payment, with `changes` over it. */
export function aTransaction(changes: Partial<TransactionRow> = {}): TransactionRow {
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    id: randomUUID(),
    order_id: randomUUID(),
    project_id: randomUUID(),
    project_name: 'Garden',
    description: 'Seeds',
    amount: 1500,
    currency: 'EUR',
    state: 'awaiting_payment',
    attempt: 0,
    paid_by: null,
    payment_method_id: null,
    stripe_customer_id: null,
    payment_intent_id: null,
    failure_reason: null,
    client_secret: null,
    next_action: null,
    authentication_started_at: null,
    version: 1,
    created_at: at,
    updated_at: at,
    ...changes,
  };
}

/** A transaction paid by `paidBy` with `paymentMethodId` on its first attempt. */
export const aPaidTransaction = (paidBy: string = randomUUID(), paymentMethodId = 'pm_fake1', changes: Partial<TransactionRow> = {}): TransactionRow =>
  aTransaction({ state: 'paid', attempt: 1, paid_by: paidBy, payment_method_id: paymentMethodId, stripe_customer_id: 'cus_fake1', payment_intent_id: 'pi_fake1', ...changes });
