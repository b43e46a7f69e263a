import type { Migration } from '@platform/db';
import { createMessages } from './001-messages';

/** In order; never edit one that has run anywhere: add the next. */
export const migrations: Migration[] = [createMessages];
