// The roles and statuses a user can have, and what each allows.

export const ROLES = ['customer', 'admin', 'support'] as const;
export type Role = (typeof ROLES)[number];

export const STATUSES = ['active', 'suspended'] as const;
export type Status = (typeof STATUSES)[number];

export const canAuthenticate = (status: Status): boolean => status === 'active';
