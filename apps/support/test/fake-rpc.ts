// This facade's fixtures; the fake RPC client itself comes with @platform/http.
export { FakeRpc, type RecordedCall } from '@platform/http/testing';

export const NOW = '2026-01-01T00:00:00.000Z';

// Ids are UUIDs, as the services make them, named as the tests read them: U1 is user 1 (1111…0001);
// S for support staff (4444…), P for projects (2222…), O for orders (3333…).
export const U1 = '11111111-0000-4000-8000-000000000001';
export const U3 = '11111111-0000-4000-8000-000000000003';
export const U9 = '11111111-0000-4000-8000-000000000009';
export const S1 = '44444444-0000-4000-8000-000000000001';
export const P1 = '22222222-0000-4000-8000-000000000001';
export const P2 = '22222222-0000-4000-8000-000000000002';
export const O1 = '33333333-0000-4000-8000-000000000001';
export const O2 = '33333333-0000-4000-8000-000000000002';
export const O3 = '33333333-0000-4000-8000-000000000003';
export const O9 = '33333333-0000-4000-8000-000000000009';

export function aUser(overrides: Record<string, unknown> = {}) {
  return { id: U1, email: 'ann@example.com', name: 'Ann', role: 'customer', status: 'active', created_at: NOW, ...overrides };
}

export function aStaffMember(overrides: Record<string, unknown> = {}) {
  return aUser({ id: S1, email: 'sam@example.com', name: 'Sam', role: 'support', ...overrides });
}

export function aProject(overrides: Record<string, unknown> = {}) {
  return { id: P1, name: 'Kitchen', description: null, owner_id: U1, version: 1, created_at: NOW, ...overrides };
}

export function anOrder(overrides: Record<string, unknown> = {}) {
  return {
    id: O1,
    project_id: P1,
    description: 'Tiles',
    amount: 1500,
    currency: 'EUR',
    status: 'paid',
    placed_by: U1,
    version: 1,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export function aTransaction(overrides: Record<string, unknown> = {}) {
  return {
    id: 't1',
    order_id: O1,
    project_id: P1,
    description: 'Tiles',
    amount: 1500,
    currency: 'EUR',
    state: 'paid',
    attempt: 1,
    payment_intent_id: 'pi_1',
    payment_method_id: 'pm_1',
    paid_by: U1,
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
