/** Who may call the support routes. */
export const STAFF: readonly string[] = ['support', 'admin'];
