// Beginning an attempt to pay is committed at once, before Stripe is called, separately from the
// worker's transaction (which commits only when the worker ends). So the attempt
// and its number are on record whatever happens next: if the worker dies while Stripe charges,
// the next call finds the attempt `processing` and sends it again under the same idempotency
// key, and Stripe answers what it answered the first time instead of charging again. Reads made
// before the attempt begins go through here too, so that a worker holds one connection at a time.
import { ConcurrencyConflict, Database, NotFound } from '@platform/db';
import { DependencyProvider, type WorkerContext } from '@platform/shimeji';
import type { CustomerRow } from './customers';
import type { collections } from './db';
import type { Outcome, Payer, TransactionRow } from './transactions';

export interface Attempts {
  getTransactionByOrderId(orderId: string): Promise<TransactionRow>;
  getCustomer(userId: string): Promise<CustomerRow>;
  /** The next attempt, `processing`; ConcurrencyConflict if the transaction moved on since it was read. */
  begin(transaction: TransactionRow, payer: Payer): Promise<TransactionRow>;
  /** Recording an outcome at once, too: an abandoned attempt is given up before the next begins. */
  transactions: { recordOutcome(transaction: TransactionRow, outcome: Outcome): Promise<TransactionRow>; getById(id: string): Promise<TransactionRow> };
  NotFound: typeof NotFound;
  ConcurrencyConflict: typeof ConcurrencyConflict;
}

/** `attempts = inject(new PaymentAttempts(this.db))`, declared after the Database. */
export class PaymentAttempts extends DependencyProvider<Attempts> {
  private readonly database: Database<typeof collections>;

  constructor(db: unknown) {
    super();
    this.database = Database.of(db, 'PaymentAttempts');
  }

  getDependency(workerCtx: WorkerContext): Attempts {
    const { separately } = this.database.getDependency(workerCtx);
    return {
      getTransactionByOrderId: (orderId) => separately((db) => db.transactions.getByOrderId(orderId)),
      getCustomer: (userId) => separately((db) => db.customers.getByUserId(userId)),
      begin: (transaction, payer) => separately((db) => db.transactions.beginAttempt(transaction, payer)),
      transactions: {
        recordOutcome: (transaction, outcome) => separately((db) => db.transactions.recordOutcome(transaction, outcome)),
        getById: (id) => separately((db) => db.transactions.getById(id)),
      },
      NotFound,
      ConcurrencyConflict,
    };
  }
}
