// The services' replies as a facade's tests fake them: the shapes the services answer with, with
// ids named as tests read them (U1 is user 1, 1111…0001; S staff, P projects, O orders). A facade's
// own fixtures override what differs for it (`aUser({ role: 'admin' })`).
type Overrides = Record<string, unknown>;

export const NOW = '2026-01-01T00:00:00.000Z';

const id = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const U1 = id('11111111', 1);
export const U2 = id('11111111', 2);
export const U3 = id('11111111', 3);
export const U9 = id('11111111', 9);
export const P1 = id('22222222', 1);
export const P2 = id('22222222', 2);
export const P9 = id('22222222', 9);
export const O1 = id('33333333', 1);
export const O2 = id('33333333', 2);
export const O3 = id('33333333', 3);
export const O9 = id('33333333', 9);
export const S1 = id('44444444', 1);

/** user.getUser: Ann, an active customer. */
export function aUser(overrides: Overrides = {}) {
  return { id: U1, email: 'ann@example.com', name: 'Ann', role: 'customer', status: 'active', created_at: NOW, ...overrides };
}

/** project.getProject: Ann's kitchen. */
export function aProject(overrides: Overrides = {}) {
  return { id: P1, name: 'Kitchen', description: null, owner_id: U1, version: 1, created_at: NOW, ...overrides };
}

/** project.getOrder: tiles for the kitchen, placed by Ann, awaiting payment. */
export function anOrder(overrides: Overrides = {}) {
  return {
    id: O1,
    project_id: P1,
    description: 'Tiles',
    amount: 1500,
    currency: 'EUR',
    status: 'awaiting_payment',
    placed_by: U1,
    version: 1,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

/** payment.getTransactionByOrder: the tiles paid by Ann. */
export function aTransaction(overrides: Overrides = {}) {
  return {
    id: 't1',
    order_id: O1,
    project_id: P1,
    description: 'Tiles',
    amount: 1500,
    currency: 'EUR',
    state: 'paid',
    attempt: 1,
    payment_intent_id: null,
    payment_method_id: 'pm_1',
    paid_by: U1,
    failure_reason: null,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

/** messaging.listMessagesForUser: the tiles' order confirmation, sent to Ann. */
export function aMessage(overrides: Overrides = {}) {
  return {
    id: 'm1',
    kind: 'order_paid_confirmation',
    recipient_id: U1,
    recipient_email: 'ann@example.com',
    subject: 'Your order Tiles',
    order_id: O1,
    project_id: P1,
    status: 'sent',
    smtp_message_id: '<m1@example.com>',
    attempts: 1,
    resent_of: null,
    requested_by: null,
    created_at: NOW,
    sent_at: NOW,
    ...overrides,
  };
}
