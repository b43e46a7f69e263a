// This facade's fixtures: the services' replies from @platform/http/testing, as an admin meets
// them (the caller an admin, projects owned by a customer, U2, with their member count).
import { replies } from '@platform/http/testing';

export { FakeRpc, type RecordedCall } from '@platform/http/testing';
export const { NOW, U1, U2, U9, P1, P9, O1, O2 } = replies;

export const aUser = (overrides: Record<string, unknown> = {}) => replies.aUser({ role: 'admin', ...overrides });
export const aProject = (overrides: Record<string, unknown> = {}) => replies.aProject({ owner_id: U2, member_count: 2, ...overrides });
export const anOrder = (overrides: Record<string, unknown> = {}) => replies.anOrder({ placed_by: U2, ...overrides });
export const aTransaction = (overrides: Record<string, unknown> = {}) => replies.aTransaction({ paid_by: U2, ...overrides });
