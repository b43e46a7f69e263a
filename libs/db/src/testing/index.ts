// Test helpers: `import { testDatabaseUrl } from '@platform/db/testing'`.
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { Database } from '../database';
import { OUTBOX_TABLE } from '../framework-migrations';

/**
 * A fresh PostgreSQL database URL for one test (created on first connect by the Database
 * dependency; dropped with every other database of the run by the jest global teardown).
 */
export function testDatabaseUrl(name: string): string {
  // The jest setup found no PostgreSQL: say so now, not after a hook's timeout.
  if (process.env.TEST_POSTGRES_UNREACHABLE) throw new Error(process.env.TEST_POSTGRES_UNREACHABLE);
  const base = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const prefix = process.env.TEST_DB_PREFIX ?? `t_${process.pid}`;
  return `${base}/${prefix}_${name}_${randomBytes(3).toString('hex')}`.toLowerCase();
}

/** How many rows each table holds: "nothing written" is these counts unchanged. */
export async function rowCounts(knex: Knex, tables: readonly string[]): Promise<Record<string, number>> {
  const counts = await Promise.all(tables.map(async (table) => [table, Number((await knex(table).count({ n: '*' }))[0]!.n)] as const));
  return Object.fromEntries(counts);
}

/** The events of one type stored for publishing whose body mentions `mentioning`: what went out, exactly. */
export async function outboxEvents(knex: Knex, type: string, mentioning: string): Promise<unknown[]> {
  const rows = await knex(OUTBOX_TABLE).where({ routing_key: type }).andWhereLike('body', `%${mentioning}%`);
  return rows.map((row: { body: string }) => JSON.parse(row.body));
}

/** The Database dependency a running container holds: the tables a test reads to see what was written. */
export function databaseOf(container: { dependencies: ReadonlyMap<string, unknown> }): Database<any> {
  const database = [...container.dependencies.values()].find((d): d is Database<any> => d instanceof Database);
  if (!database) throw new Error('the container has no Database dependency');
  return database;
}
export { type OwnPostgres, startOwnPostgres } from './own-postgres';
