// This facade's fixtures; the fake RPC client itself comes with @platform/http.
export { FakeRpc, type RecordedCall } from '@platform/http/testing';

export const NOW = '2026-01-01T00:00:00.000Z';

export function aUser(overrides: Record<string, unknown> = {}) {
  return { id: 'u1', email: 'ann@example.com', name: 'Ann', role: 'customer', status: 'active', created_at: NOW, ...overrides };
}

export function aProject(overrides: Record<string, unknown> = {}) {
  return {
    id: 'p1',
    name: 'Kitchen',
    description: null,
    owner_id: 'u1',
    version: 1,
    created_at: NOW,
    members: [{ project_id: 'p1', user_id: 'u1', role: 'owner', added_by: 'u1', added_at: NOW }],
    ...overrides,
  };
}

export function anOrder(overrides: Record<string, unknown> = {}) {
  return {
    id: 'o1',
    project_id: 'p1',
    description: 'Tiles',
    amount: 1500,
    currency: 'EUR',
    status: 'awaiting_payment',
    placed_by: 'u1',
    version: 1,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}
