// The roles and statuses a user can have, and what each allows. The lists are the platform's
// (libs/schemas), so that the facades' documents and response schemas name the same values.
import { USER_ROLES, USER_STATUSES, type UserRole, type UserStatus } from '@platform/schemas';

export const ROLES = USER_ROLES;
export type Role = UserRole;

export const STATUSES = USER_STATUSES;
export type Status = UserStatus;

export const canAuthenticate = (status: Status): boolean => status === 'active';
