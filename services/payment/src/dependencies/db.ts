// The payment service's storage: customers, transactions and refunds, in the domain's language.
import { type CollectionClass, Database, type DatabaseOptions } from '@platform/db';
import type { WorkerContext } from '@platform/shimeji';
import { PaymentDeclined } from '../exceptions';
import { migrations } from '../migrations';
import { Customers } from './customers';
import { Refunds } from './refunds';
import { Transactions } from './transactions';

export type { CustomerRow } from './customers';
export type { RefundRow } from './refunds';
export type { NewTransaction, Outcome, Payer, TransactionRow } from './transactions';

type ErrorClass = abstract new (...args: any[]) => Error;

/**
 * A Database whose worker commits even when it ends with one of `outcomes`: errors that report
 * what happened rather than undo it. A declined card is one: the transaction is `failed` and
 * payment_failed goes out, though the caller gets PaymentDeclined.
 */
export class OutcomeKeepingDatabase<C extends Record<string, CollectionClass>> extends Database<C> {
  constructor(
    collections: C,
    options: DatabaseOptions,
    private readonly outcomes: readonly ErrorClass[],
  ) {
    super(collections, options);
  }

  override async workerResult(workerCtx: WorkerContext, result: unknown, error: unknown): Promise<void> {
    const isOutcome = this.outcomes.some((cls) => error instanceof cls);
    await super.workerResult(workerCtx, result, isOutcome ? undefined : error);
  }
}

export const collections = { customers: Customers, transactions: Transactions, refunds: Refunds };

/** At PAYMENT_DATABASE_URL (the default key for a service named `payment`). */
export const paymentDatabase = () => new OutcomeKeepingDatabase(collections, { migrations }, [PaymentDeclined]);
