// In-memory stand-ins for the payment service's collections and its committed-at-once attempts:
// the same methods and expected exceptions as dependencies/, no database. Tests look into
// `store` to see what was written.
import { ConcurrencyConflict, NotFound } from '@platform/db';
import type { Attempts } from '../../src/dependencies/attempts';
import type { CustomerRow, NewPaymentMethod, NewTransaction, Outcome, Payer, PaymentMethodRow, RefundRow, TransactionRow } from '../../src/dependencies/db';
import { NO_AUTHENTICATION } from '../../src/dependencies/transactions';

export class FakeStore {
  readonly customers = new Map<string, CustomerRow>();
  /** By `${user_id} ${token}`. */
  readonly paymentMethods = new Map<string, PaymentMethodRow>();
  readonly transactions = new Map<string, TransactionRow>();
  readonly refunds: RefundRow[] = [];

  /** Everything stored, as plain data: equal before and after means nothing was written. */
  snapshot(): unknown {
    return structuredClone([[...this.customers.values()], [...this.transactions.values()], this.refunds]);
  }
}

// Time moves on by a second per change.
let clock = Date.parse('2026-01-01T00:00:00Z');
const now = () => new Date((clock += 1000));

class FakeCustomers {
  constructor(private readonly store: FakeStore) {}

  async getByUserId(userId: string): Promise<CustomerRow> {
    const row = this.store.customers.get(userId);
    if (!row) throw new NotFound(`user ${userId} is no Stripe customer`);
    return { ...row };
  }

  async add(userId: string, stripeCustomerId: string): Promise<CustomerRow> {
    if (!this.store.customers.has(userId)) this.store.customers.set(userId, { user_id: userId, stripe_customer_id: stripeCustomerId, created_at: now() });
    return this.getByUserId(userId);
  }
}

class FakePaymentMethods {
  constructor(private readonly store: FakeStore) {}

  async getByToken(userId: string, token: string): Promise<PaymentMethodRow> {
    const row = this.store.paymentMethods.get(`${userId} ${token}`);
    if (!row) throw new NotFound(`user ${userId} added no payment method ${token}`);
    return { ...row };
  }

  async add(method: NewPaymentMethod): Promise<PaymentMethodRow> {
    const key = `${method.user_id} ${method.token}`;
    if (!this.store.paymentMethods.has(key)) this.store.paymentMethods.set(key, { ...method, created_at: now() });
    return this.getByToken(method.user_id, method.token);
  }
}

class FakeTransactions {
  constructor(private readonly store: FakeStore) {}

  async open(transaction: NewTransaction): Promise<TransactionRow | undefined> {
    if ([...this.store.transactions.values()].some((t) => t.order_id === transaction.order_id)) return undefined;
    const at = now();
    const row: TransactionRow = {
      ...transaction,
      state: 'awaiting_payment',
      attempt: 0,
      paid_by: null,
      payment_method_id: null,
      stripe_customer_id: null,
      payment_intent_id: null,
      failure_reason: null,
      ...NO_AUTHENTICATION,
      version: 1,
      created_at: at,
      updated_at: at,
    };
    this.store.transactions.set(row.id, row);
    return { ...row };
  }

  async getById(id: string): Promise<TransactionRow> {
    return this.find((t) => t.id === id, `no transaction ${id}`);
  }

  async getByOrderId(orderId: string): Promise<TransactionRow> {
    return this.find((t) => t.order_id === orderId, `no transaction for order ${orderId}`);
  }

  async getByPaymentIntentId(paymentIntentId: string): Promise<TransactionRow> {
    return this.find((t) => t.payment_intent_id === paymentIntentId, `no transaction with payment intent ${paymentIntentId}`);
  }

  async getManyById(ids: readonly string[]): Promise<TransactionRow[]> {
    return ids.flatMap((id) => (this.store.transactions.has(id) ? [{ ...this.store.transactions.get(id)! }] : []));
  }

  async getManyByOrderId(orderIds: readonly string[]): Promise<TransactionRow[]> {
    const rows = [...this.store.transactions.values()];
    return [...new Set(orderIds)].flatMap((orderId) => rows.filter((t) => t.order_id === orderId).map((t) => ({ ...t })));
  }

  async beginAttempt(transaction: TransactionRow, payer: Payer): Promise<TransactionRow> {
    return this.change(transaction, { ...payer, state: 'processing', attempt: transaction.attempt + 1, payment_intent_id: null, failure_reason: null, ...NO_AUTHENTICATION });
  }

  async recordOutcome(transaction: TransactionRow, outcome: Outcome): Promise<TransactionRow> {
    return this.change(transaction, outcome);
  }

  async markCancelled(transaction: TransactionRow): Promise<TransactionRow> {
    return this.change(transaction, { state: 'cancelled' });
  }

  async markRefunded(transaction: TransactionRow): Promise<TransactionRow> {
    return this.change(transaction, { state: 'refunded' });
  }

  private async change(transaction: TransactionRow, changes: Partial<TransactionRow>): Promise<TransactionRow> {
    const stored = await this.getById(transaction.id);
    if (stored.version !== transaction.version) throw new ConcurrencyConflict(`transaction ${transaction.id} moved on`);
    const row = { ...stored, ...changes, version: stored.version + 1, updated_at: now() };
    this.store.transactions.set(row.id, row);
    return { ...row };
  }

  private async find(match: (t: TransactionRow) => boolean, message: string): Promise<TransactionRow> {
    const row = [...this.store.transactions.values()].find(match);
    if (!row) throw new NotFound(message);
    return { ...row };
  }
}

class FakeRefunds {
  constructor(private readonly store: FakeStore) {}

  async add(refund: Omit<RefundRow, 'created_at'>): Promise<RefundRow> {
    const row = { ...refund, created_at: now() };
    this.store.refunds.push(row);
    return row;
  }
}

export function fakeDb(store: FakeStore) {
  return { customers: new FakeCustomers(store), paymentMethods: new FakePaymentMethods(store), transactions: new FakeTransactions(store), refunds: new FakeRefunds(store), NotFound, ConcurrencyConflict };
}

export function fakeAttempts(store: FakeStore): Attempts {
  const transactions = new FakeTransactions(store);
  const customers = new FakeCustomers(store);
  return {
    getTransactionByOrderId: (orderId) => transactions.getByOrderId(orderId),
    getCustomer: (userId) => customers.getByUserId(userId),
    begin: (transaction, payer) => transactions.beginAttempt(transaction, payer),
    transactions: { recordOutcome: (transaction, outcome) => transactions.recordOutcome(transaction, outcome), getById: (id) => transactions.getById(id) },
    NotFound,
    ConcurrencyConflict,
  };
}
