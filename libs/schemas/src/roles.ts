// The roles a token can carry, as every service's access rules and every facade name them: the
// users' roles (the user service's states) and the two the framework gives (a facade's guest, a
// service acting on its own).
import { GUEST_ROLE, SERVICE_ROLE } from '@platform/shimeji';

export const ROLE = {
  customer: 'customer',
  admin: 'admin',
  support: 'support',
  guest: GUEST_ROLE,
  service: SERVICE_ROLE,
} as const;

/** The people who run the platform: support answers customers, admins run everything. */
export const STAFF = [ROLE.support, ROLE.admin] as const;

/** The roles a user can have, as the user service keeps them and every facade shows them. */
export const USER_ROLES = [ROLE.customer, ROLE.admin, ROLE.support] as const;
export type UserRole = (typeof USER_ROLES)[number];
