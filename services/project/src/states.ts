// The roles a member can have and the life of an order: every allowed move is in
// ORDER_TRANSITIONS, and nothing else in the service decides what may follow what. The statuses
// are the platform's list (libs/schemas), so that the facades show the same ones.
import { ORDER_STATUSES, type OrderStatus } from '@platform/schemas';

export { ORDER_STATUSES, type OrderStatus };

export const MEMBER_ROLES = ['owner', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** Any member may bring others in: a project is a shared space, not the owner's alone. */
const MAY_ADD_MEMBERS: readonly MemberRole[] = ['owner', 'member'];
export const canAddMembers = (role: MemberRole): boolean => MAY_ADD_MEMBERS.includes(role);

/**
 * A paid order is cancelled by a saga (cancel-paid-order.ts): `cancelling` while its money goes
 * back, `cancelled` once it has, `paid` again if the refund could not be made.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  awaiting_payment: ['paid', 'cancelled'],
  paid: ['refunded', 'cancelling'],
  refunded: [],
  cancelling: ['cancelled', 'paid'],
  cancelled: [],
};

export const canMoveOrder = (from: OrderStatus, to: OrderStatus): boolean => ORDER_TRANSITIONS[from].includes(to);

/**
 * Whether an order in `current` has been through `status` already: a paid or refunded order has
 * been paid. Payment events arrive at least once, so news the order already acted on is no news.
 */
export function hasBeen(current: OrderStatus, status: OrderStatus, seen: ReadonlySet<OrderStatus> = new Set()): boolean {
  if (current === status) return true;
  // The graph has a way back (cancelling → paid): each status is looked at once.
  const visited = new Set(seen).add(status);
  return ORDER_TRANSITIONS[status].some((next) => !visited.has(next) && hasBeen(current, next, visited));
}
