// One worker, one transaction: begun when the worker first touches the database, committed when
// it succeeds, rolled back when it fails. Dependencies that write with the worker (the outbox,
// the record of processed messages) hook in before and after the commit.
import type { Knex } from 'knex';
import { endSpan, startTransactionSpan } from './tracing';

type Hook = (trx: Knex.Transaction) => Promise<void>;

export class UnitOfWork {
  private trx?: Promise<Knex.Transaction>;
  private closed = false;
  private span?: ReturnType<typeof startTransactionSpan>;
  private readonly beforeCommit: Hook[] = [];
  private readonly afterCommit: (() => Promise<void>)[] = [];

  constructor(private readonly db: Knex) {}

  /** Whether the transaction has begun (and so holds a connection). */
  get begun(): boolean {
    return this.trx !== undefined && !this.closed;
  }

  /** The worker's transaction, begun on first use. */
  transaction(): Promise<Knex.Transaction> {
    if (this.closed) return Promise.reject(new Error('this worker’s transaction is already over'));
    if (!this.trx) {
      this.span = startTransactionSpan();
      this.trx = this.db.transaction();
    }
    return this.trx;
  }

  /**
   * Where a plain read runs: in the worker's transaction once it has begun, otherwise on the pool,
   * a statement of its own. Under READ COMMITTED (PostgreSQL's default; nothing here changes it)
   * each statement sees what was committed when it started, inside a transaction or not, so a read
   * before the worker's first write sees the same rows either way, and a worker that only reads
   * makes one round trip instead of three (BEGIN, the query, COMMIT). Locking reads (FOR UPDATE)
   * need `transaction()`; reads after a write get the transaction here, and see the write.
   */
  reader(): Promise<Knex> {
    if (this.closed) return Promise.reject(new Error('this worker’s transaction is already over'));
    return this.trx ?? Promise.resolve(this.db);
  }

  /** Runs inside the transaction just before it commits (only if the worker succeeded). */
  onBeforeCommit(hook: Hook): void {
    this.beforeCommit.push(hook);
  }

  /** Runs once the transaction committed. */
  onAfterCommit(hook: () => Promise<void>): void {
    this.afterCommit.push(hook);
  }

  async commit(): Promise<void> {
    if (this.closed) return;
    if (this.beforeCommit.length > 0) {
      const trx = await this.transaction();
      for (const hook of this.beforeCommit) await hook(trx);
    }
    this.closed = true;
    try {
      if (this.trx) await (await this.trx).commit();
      endSpan(this.span);
    } catch (error) {
      endSpan(this.span, error);
      throw error;
    }
  }

  /** The hooks that follow a commit; their failures are theirs (the change is committed). */
  async runAfterCommit(): Promise<void> {
    for (const hook of this.afterCommit) await hook();
  }

  async rollback(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.trx) await (await this.trx).rollback().catch(() => undefined);
    if (this.span) {
      this.span.setAttribute('db.transaction.rolled_back', true);
      endSpan(this.span);
    }
  }
}
