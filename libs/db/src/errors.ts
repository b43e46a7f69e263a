// The expected exceptions of the database dependency: endpoints translate them into their own.

/** No row matched. */
export class NotFound extends Error {}

/** A row with the same unique key exists already. */
export class AlreadyExists extends Error {}

/** The aggregate changed since it was read (its version moved on): reload and try again. */
export class ConcurrencyConflict extends Error {}

/** PostgreSQL's unique_violation, whichever driver raised it. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}
