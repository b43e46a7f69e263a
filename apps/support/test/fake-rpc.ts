// This facade's fixtures: the services' replies from @platform/http/testing, as support meets
// them (orders that were paid, through Stripe), and the support staff member asking.
import { replies } from '@platform/http/testing';

export { FakeRpc, type RecordedCall } from '@platform/http/testing';
export const { NOW, U1, U3, U9, S1, P1, P2, O1, O2, O3, O9, aUser, aProject, aMessage } = replies;

export const aStaffMember = (overrides: Record<string, unknown> = {}) => aUser({ id: S1, email: 'sam@example.com', name: 'Sam', role: 'support', ...overrides });
export const anOrder = (overrides: Record<string, unknown> = {}) => replies.anOrder({ status: 'paid', ...overrides });
export const aTransaction = (overrides: Record<string, unknown> = {}) => replies.aTransaction({ payment_intent_id: 'pi_1', ...overrides });
