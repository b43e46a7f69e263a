// The payment service's storage: customers, their cards, transactions and refunds, in the domain's language.
import { Database } from '@platform/db';
import { PaymentDeclined } from '../exceptions';
import { migrations } from '../migrations';
import { Customers } from './customers';
import { PaymentMethods } from './payment-methods';
import { Refunds } from './refunds';
import { Transactions } from './transactions';

export type { CustomerRow } from './customers';
export type { NewPaymentMethod, PaymentMethodRow } from './payment-methods';
export type { RefundRow } from './refunds';
export type { NewTransaction, Outcome, Payer, TransactionRow } from './transactions';

export const collections = { customers: Customers, paymentMethods: PaymentMethods, transactions: Transactions, refunds: Refunds };

/**
 * At PAYMENT_DATABASE_URL (the default key for a service named `payment`). A declined card is an
 * outcome, not an accident: the worker's transaction commits (the transaction `failed`,
 * payment_failed on its way) though the caller gets PaymentDeclined.
 */
export const paymentDatabase = () => new Database(collections, { migrations, commitOn: [PaymentDeclined] });
