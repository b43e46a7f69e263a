// This facade's fixtures; the fake RPC client itself comes with @platform/http.
export { FakeRpc, type RecordedCall } from '@platform/http/testing';

export const NOW = '2026-01-01T00:00:00.000Z';

export function aUser(overrides: Record<string, unknown> = {}) {
  return { id: 'u1', email: 'ann@example.com', name: 'Ann', role: 'customer', status: 'active', created_at: NOW, ...overrides };
}

export function aStaffMember(overrides: Record<string, unknown> = {}) {
  return aUser({ id: 's1', email: 'sam@example.com', name: 'Sam', role: 'support', ...overrides });
}

export function aProject(overrides: Record<string, unknown> = {}) {
  return { id: 'p1', name: 'Kitchen', description: null, owner_id: 'u1', version: 1, created_at: NOW, ...overrides };
}

export function anOrder(overrides: Record<string, unknown> = {}) {
  return {
    id: 'o1',
    project_id: 'p1',
    description: 'Tiles',
    amount: 1500,
    currency: 'EUR',
    status: 'paid',
    placed_by: 'u1',
    version: 1,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export function aTransaction(overrides: Record<string, unknown> = {}) {
  return {
    id: 't1',
    order_id: 'o1',
    project_id: 'p1',
    description: 'Tiles',
    amount: 1500,
    currency: 'EUR',
    state: 'paid',
    attempt: 1,
    payment_intent_id: 'pi_1',
    payment_method_id: 'pm_1',
    paid_by: 'u1',
    failure_reason: null,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export function aMessage(overrides: Record<string, unknown> = {}) {
  return {
    id: 'm1',
    kind: 'order_paid_confirmation',
    recipient_id: 'u1',
    recipient_email: 'ann@example.com',
    subject: 'Your order Tiles',
    order_id: 'o1',
    project_id: 'p1',
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
