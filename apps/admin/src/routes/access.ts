/** Who may call the admins' routes. */
export const ADMINS: readonly string[] = ['admin'];
