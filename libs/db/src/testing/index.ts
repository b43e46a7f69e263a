// Test helpers: `import { testDatabaseUrl } from '@platform/db/testing'`.
import { randomBytes } from 'node:crypto';

/**
 * A fresh PostgreSQL database URL for one test (created on first connect by the Database
 * dependency; dropped with every other database of the run by the jest global teardown).
 */
export function testDatabaseUrl(name: string): string {
  const base = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const prefix = process.env.TEST_DB_PREFIX ?? `t_${process.pid}`;
  return `${base}/${prefix}_${name}_${randomBytes(3).toString('hex')}`.toLowerCase();
}
