// Collections are the seeds' Storage pattern: a class per aggregate, with methods in the
// domain's language, through which endpoints reach the database without seeing SQL.
import type { Knex } from 'knex';
import { ConcurrencyConflict } from './errors';
import type { UnitOfWork } from './transaction';

/** Base of a collection: queries run in the worker's transaction. */
export abstract class Collection {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  /** The worker's transaction, for writes and locking reads: `const trx = await this.trx(); trx('users')…`. */
  protected trx(): Promise<Knex.Transaction> {
    return this.unitOfWork.transaction();
  }

  /**
   * For plain reads: `const db = await this.reader(); db('users')…`. The worker's transaction once
   * it has begun (a read after a write sees it), otherwise one statement on the pool with no
   * BEGIN/COMMIT around it (UnitOfWork.reader says why that reads the same rows).
   */
  protected reader(): Promise<Knex> {
    return this.unitOfWork.reader();
  }

  /**
   * Optimistic concurrency: applies `changes` only if the row still has `expectedVersion`, and
   * moves the version on. Otherwise ConcurrencyConflict: someone changed it since it was read.
   */
  protected async updateVersioned(
    table: string,
    id: string,
    expectedVersion: number,
    changes: Record<string, unknown>,
  ): Promise<number> {
    const trx = await this.trx();
    const updated = await trx(table)
      .where({ id, version: expectedVersion })
      .update({ ...changes, version: expectedVersion + 1 });
    if (updated !== 1) throw new ConcurrencyConflict(`${table} ${id} changed since version ${expectedVersion} was read`);
    return expectedVersion + 1;
  }
}

export type CollectionClass<C extends Collection = Collection> = new (unitOfWork: UnitOfWork) => C;
