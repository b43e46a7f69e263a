// Who may call each of the user service's methods (checked by shimeji before a worker runs).
// Signing up and logging in come through a facade as a guest; only admins change a user's standing.
import type { AllowRule } from '@platform/shimeji';
import { ROLE, STAFF } from '@platform/schemas';

const ADMIN_ACTING = { roles: [ROLE.admin], actor: 'actorId' };

export const ALLOW = {
  registerUser: [ROLE.guest],
  authenticate: [ROLE.guest],
  getUser: { roles: [...STAFF, ROLE.service], self: 'userId' },
  getUsersById: [...STAFF, ROLE.service],
  // Customers look a user up by email to add them to a project.
  findUsers: [ROLE.customer, ...STAFF],
  suspendUser: ADMIN_ACTING,
  reactivateUser: ADMIN_ACTING,
  changeRole: ADMIN_ACTING,
} satisfies Record<string, AllowRule>;
