// Beginning an attempt to pay is committed at once, before Stripe is called, in a short unit of
// work of its own (not the worker's, which commits only when the worker ends). So the attempt
// and its number are on record whatever happens next: if the worker dies while Stripe charges,
// the next call finds the attempt `processing` and sends it again under the same idempotency
// key, and Stripe answers what it answered the first time instead of charging again. Reads made
// before the attempt begins go through here too, so that a worker holds one connection at a time.
import { ConcurrencyConflict, Database, NotFound, UnitOfWork } from '@platform/db';
import { DependencyProvider } from '@platform/shimeji';
import { Customers, type CustomerRow } from './customers';
import { type Payer, type TransactionRow, Transactions } from './transactions';

export interface Attempts {
  getTransactionByOrderId(orderId: string): Promise<TransactionRow>;
  getCustomer(userId: string): Promise<CustomerRow>;
  /** The next attempt, `processing`; ConcurrencyConflict if the transaction moved on since it was read. */
  begin(transaction: TransactionRow, payer: Payer): Promise<TransactionRow>;
  NotFound: typeof NotFound;
  ConcurrencyConflict: typeof ConcurrencyConflict;
}

/** `attempts = inject(new PaymentAttempts())`, in a service that has the Database. */
export class PaymentAttempts extends DependencyProvider<Attempts> {
  private attempts!: Attempts;

  override async setup(): Promise<void> {
    const database = [...this.container.dependencies.values()].find((d): d is Database<any> => d instanceof Database);
    if (!database) throw new Error(`${this.container.serviceName}: PaymentAttempts needs the Database dependency`);
    const committed = async <T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> => {
      const unit = new UnitOfWork(database.knex);
      try {
        const result = await work(unit);
        await unit.commit();
        return result;
      } finally {
        await unit.rollback(); // nothing to undo once committed
      }
    };
    this.attempts = {
      getTransactionByOrderId: (orderId) => committed((unit) => new Transactions(unit).getByOrderId(orderId)),
      getCustomer: (userId) => committed((unit) => new Customers(unit).getByUserId(userId)),
      begin: (transaction, payer) => committed((unit) => new Transactions(unit).beginAttempt(transaction, payer)),
      NotFound,
      ConcurrencyConflict,
    };
  }

  getDependency(): Attempts {
    return this.attempts;
  }
}
