// Who may call each of the project service's methods (checked by shimeji before a worker runs).
// Customers act only in their own name (membership is the domain's check); staff and services read.
import type { AllowRule } from '@platform/shimeji';
import { ROLE, STAFF } from '@platform/schemas';

const CUSTOMER_ACTING = (actor: string) => ({ roles: [ROLE.customer], actor });
const READERS = [...STAFF, ROLE.service];

export const ALLOW = {
  createProject: CUSTOMER_ACTING('ownerId'),
  getProject: CUSTOMER_ACTING('requesterId'),
  listProjectsForUser: { roles: STAFF, self: 'userId' },
  listProjects: [ROLE.admin],
  addMember: CUSTOMER_ACTING('addedBy'),
  placeOrder: CUSTOMER_ACTING('requesterId'),
  getOrder: CUSTOMER_ACTING('requesterId'),
  listOrders: CUSTOMER_ACTING('requesterId'),
  cancelOrder: CUSTOMER_ACTING('requesterId'),
  cancelAnyOrder: { roles: [ROLE.admin], actor: 'actorId' },
  getOrdersById: READERS,
  listOrdersForProject: STAFF,
  getOrdersByProjectId: READERS,
} satisfies Record<string, AllowRule>;
