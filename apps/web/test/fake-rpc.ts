// This facade's fixtures: the services' replies from @platform/http/testing, with a project that
// lists its members as the web facade reads it.
import { replies } from '@platform/http/testing';

export { FakeRpc, type RecordedCall } from '@platform/http/testing';
export const { NOW, U1, U2, U3, P1, P9, O1, aUser, anOrder } = replies;

export function aProject(overrides: Record<string, unknown> = {}) {
  const members = [{ project_id: P1, user_id: U1, role: 'owner', added_by: U1, added_at: NOW }];
  return replies.aProject({ members, ...overrides });
}

/** payment.listPaymentMethods: Ann's visa, as Stripe describes it. */
export function aPaymentMethod(overrides: Record<string, unknown> = {}) {
  return { id: 'pm_1', brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, customer: 'cus_1', ...overrides };
}
