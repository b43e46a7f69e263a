/** Who may call the customers' routes. */
export const CUSTOMERS: readonly string[] = ['customer'];
