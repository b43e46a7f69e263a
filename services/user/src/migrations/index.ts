import type { Migration } from '@platform/db';
import { createUsers } from './001-users';

/** In order; never edit one that has run anywhere: add the next. */
export const migrations: Migration[] = [createUsers];
