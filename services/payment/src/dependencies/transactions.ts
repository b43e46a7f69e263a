// Transactions: one per order, from awaiting payment to paid, failed or refunded, with the
// attempt under way (its payer, payment method and Stripe payment intent).
import { Collection, NotFound } from '@platform/db';
import type { TransactionState } from '../states';
import type { NextAction } from './stripe';

export type { NextAction } from './stripe';

export interface TransactionRow {
  id: string;
  order_id: string;
  project_id: string;
  project_name: string;
  description: string;
  amount: number;
  currency: string;
  state: TransactionState;
  attempt: number;
  paid_by: string | null;
  payment_method_id: string | null;
  stripe_customer_id: string | null;
  payment_intent_id: string | null;
  failure_reason: string | null;
  /** While the attempt awaits 3-D Secure: what the payer's client authenticates with, and since when. */
  client_secret: string | null;
  next_action: NextAction | null;
  authentication_started_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export type NewTransaction = Pick<TransactionRow, 'id' | 'order_id' | 'project_id' | 'project_name' | 'description' | 'amount' | 'currency'>;

/** An attempt that awaits no authentication (any more). */
export const NO_AUTHENTICATION = { client_secret: null, next_action: null, authentication_started_at: null } as const;

/** Who pays with what: recorded when an attempt begins, so the attempt can be sent again as it was. */
export type Payer = Pick<TransactionRow, 'paid_by' | 'payment_method_id' | 'stripe_customer_id'>;

/** What Stripe answered to an attempt. */
export type Outcome = Pick<TransactionRow, 'payment_intent_id'> &
  Partial<Pick<TransactionRow, 'state' | 'failure_reason' | 'client_secret' | 'next_action' | 'authentication_started_at'>>;

// PostgreSQL hands a bigint back as a string, so that no driver loses digits; ours fit a number.
const toTransaction = (row: Record<string, unknown>): TransactionRow => ({ ...row, amount: Number(row.amount) }) as TransactionRow;

export class Transactions extends Collection {
  /** Opens the order's transaction, awaiting payment; undefined if the order has one already. */
  async open(transaction: NewTransaction): Promise<TransactionRow | undefined> {
    const trx = await this.trx();
    const [row] = await trx('transactions')
      .insert({ ...transaction, state: 'awaiting_payment', attempt: 0, version: 1 })
      .onConflict('order_id')
      .ignore()
      .returning('*');
    return row ? toTransaction(row) : undefined;
  }

  async getById(id: string): Promise<TransactionRow> {
    return this.getOne({ id }, `no transaction ${id}`);
  }

  async getByOrderId(orderId: string): Promise<TransactionRow> {
    return this.getOne({ order_id: orderId }, `no transaction for order ${orderId}`);
  }

  async getByPaymentIntentId(paymentIntentId: string): Promise<TransactionRow> {
    return this.getOne({ payment_intent_id: paymentIntentId }, `no transaction with payment intent ${paymentIntentId}`);
  }

  /** The transactions among `ids` that exist, in the order asked for. */
  async getManyById(ids: readonly string[]): Promise<TransactionRow[]> {
    if (ids.length === 0) return [];
    const db = await this.reader();
    const byId = new Map(((await db('transactions').whereIn('id', [...ids])) as Record<string, unknown>[]).map((r) => [r.id, toTransaction(r)]));
    return ids.map((id) => byId.get(id)).filter((r): r is TransactionRow => r !== undefined);
  }

  /** The transactions of those of `orderIds` that have one, once each, in the order asked for: one query. */
  async getManyByOrderId(orderIds: readonly string[]): Promise<TransactionRow[]> {
    const wanted = [...new Set(orderIds)];
    if (wanted.length === 0) return [];
    const db = await this.reader();
    const rows = (await db('transactions').whereIn('order_id', wanted)) as Record<string, unknown>[];
    const byOrderId = new Map(rows.map((r) => [r.order_id, toTransaction(r)]));
    return wanted.map((id) => byOrderId.get(id)).filter((r): r is TransactionRow => r !== undefined);
  }

  /** Begins the next attempt (`processing`, attempt + 1) if the transaction is still at the version read. */
  async beginAttempt(transaction: TransactionRow, payer: Payer): Promise<TransactionRow> {
    return this.change(transaction, {
      ...payer,
      state: 'processing',
      attempt: transaction.attempt + 1,
      payment_intent_id: null,
      failure_reason: null,
      ...NO_AUTHENTICATION,
    });
  }

  /** Records what Stripe answered to the attempt under way, if the transaction is still at the version read. */
  async recordOutcome(transaction: TransactionRow, outcome: Outcome): Promise<TransactionRow> {
    return this.change(transaction, outcome);
  }

  /** Closes a transaction nothing was paid on, its order cancelled; if it is still at the version read. */
  async markCancelled(transaction: TransactionRow): Promise<TransactionRow> {
    return this.change(transaction, { state: 'cancelled' });
  }

  async markRefunded(transaction: TransactionRow): Promise<TransactionRow> {
    return this.change(transaction, { state: 'refunded' });
  }

  /** ConcurrencyConflict when the transaction moved on since it was read. */
  private async change(transaction: TransactionRow, changes: Partial<TransactionRow>): Promise<TransactionRow> {
    const row = { ...changes, updated_at: new Date() };
    // A JSON column takes its value as text: knex would otherwise send an object as a row.
    if (row.next_action) (row as Record<string, unknown>).next_action = JSON.stringify(row.next_action);
    await this.updateVersioned('transactions', transaction.id, transaction.version, row);
    return this.getById(transaction.id);
  }

  private async getOne(where: Partial<TransactionRow>, message: string): Promise<TransactionRow> {
    const db = await this.reader();
    const row = await db('transactions').where(where).first();
    if (!row) throw new NotFound(message);
    return toTransaction(row);
  }
}
