// Reads whose "not found" is this service's to name: a missing row (the collections' NotFound,
// and the committed-at-once attempts' too) becomes the error the caller should see, or nothing.
import { NotFound } from '@platform/db';
import type { CustomerRow } from './dependencies/db';

/** What `load` reads; `notFound()` when there is no such row. */
export async function found<T>(load: () => Promise<T>, notFound: () => Error): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof NotFound) throw notFound();
    throw error;
  }
}

/** The user's Stripe customer; undefined for a user who never added a card. */
export async function customerOf(customers: { getByUserId(userId: string): Promise<CustomerRow> }, userId: string): Promise<CustomerRow | undefined> {
  try {
    return await customers.getByUserId(userId);
  } catch (error) {
    if (error instanceof NotFound) return undefined;
    throw error;
  }
}

/** What `load` reads; undefined when there is no such row. */
export async function maybe<T>(load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof NotFound) return undefined;
    throw error;
  }
}
