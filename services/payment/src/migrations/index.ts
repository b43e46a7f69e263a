import type { Migration } from '@platform/db';
import { createCustomers } from './001-customers';
import { createTransactions } from './002-transactions';
import { createPaymentMethods } from './003-payment-methods';
import { addAuthentication } from './004-authentication';

/** In order; never edit one that has run anywhere: add the next. */
export const migrations: Migration[] = [createCustomers, createTransactions, createPaymentMethods, addAuthentication];
