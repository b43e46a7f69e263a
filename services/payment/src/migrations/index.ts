import type { Migration } from '@platform/db';
import { createCustomers } from './001-customers';
import { createTransactions } from './002-transactions';

/** In order; never edit one that has run anywhere: add the next. */
export const migrations: Migration[] = [createCustomers, createTransactions];
