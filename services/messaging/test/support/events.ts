// The events this service consumes, exactly as their services dispatch them (see the README's
// contracts): a project with an order, paid for by a user, and the events about them.
import { randomUUID } from 'node:crypto';

export interface Purchase {
  project: { id: string; name: string };
  order: { id: string; description: string; amount: number; currency: string };
  transaction: { id: string };
  payer: { id: string };
}

export function purchase(payerId: string, overrides: { description?: string; amount?: number; currency?: string; project?: string } = {}): Purchase {
  return {
    project: { id: randomUUID(), name: overrides.project ?? 'Garden' },
    order: { id: randomUUID(), description: overrides.description ?? 'Seeds', amount: overrides.amount ?? 1500, currency: overrides.currency ?? 'EUR' },
    transaction: { id: `tx_${randomUUID().slice(0, 8)}` },
    payer: { id: payerId },
  };
}

export const userRegistered = (user: { id: string; email: string; name: string }) => ({
  user: { role: 'customer', status: 'active', created_at: '2026-01-01T00:00:00.000Z', ...user },
});

export const memberAdded = (project: { id: string; name: string }, memberId: string, addedBy: string) => ({
  project: { id: project.id, name: project.name },
  member: { id: memberId },
  added_by: { id: addedBy },
});

export const paymentTaken = (p: Purchase, more: Record<string, unknown> = {}) => ({
  transaction: p.transaction,
  order: p.order,
  project: p.project,
  payment_method: { id: 'pm_card_visa' },
  paid_by: p.payer,
  amount: p.order.amount,
  currency: p.order.currency,
  ...more,
});

export const paymentRefunded = (p: Purchase, actorId: string, reason = 'customer asked', more: Record<string, unknown> = {}) => ({
  transaction: p.transaction,
  order: p.order,
  project: p.project,
  paid_by: p.payer,
  actor: { id: actorId },
  reason,
  amount: p.order.amount,
  currency: p.order.currency,
  ...more,
});
