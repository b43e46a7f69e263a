import type { Migration } from '@platform/db';
import { createProjects } from './001-projects';
import { createOrders } from './002-orders';

/** In order; never edit one that has run anywhere: add the next. */
export const migrations: Migration[] = [createProjects, createOrders];
