// Whether a user may log in, as the user service keeps it and the staff's facades show it.

export const USER_STATUSES = ['active', 'suspended'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
