// This facade's fixtures; the fake RPC client itself comes with @platform/http.
export { FakeRpc, type RecordedCall } from '@platform/http/testing';

export const NOW = '2026-01-01T00:00:00.000Z';

export function aUser(overrides: Record<string, unknown> = {}) {
  return { id: 'u1', email: 'ann@example.com', name: 'Ann', role: 'admin', status: 'active', created_at: NOW, ...overrides };
}

export function aProject(overrides: Record<string, unknown> = {}) {
  return { id: 'p1', name: 'Kitchen', description: null, owner_id: 'u2', version: 1, member_count: 2, created_at: NOW, ...overrides };
}

export function anOrder(overrides: Record<string, unknown> = {}) {
  return {
    id: 'o1',
    project_id: 'p1',
    description: 'Tiles',
    amount: 1500,
    currency: 'EUR',
    status: 'awaiting_payment',
    placed_by: 'u2',
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
    payment_intent_id: null,
    payment_method_id: 'pm_1',
    paid_by: 'u2',
    failure_reason: null,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}
