// The saga table comes with the service's other framework tables, also when an operator applies
// migrations without starting the service (`shimeji-db migrate`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKnex } from '@platform/db';
import { testDatabaseUrl } from '@platform/db/testing';

const ROOT = path.resolve(__dirname, '../../../..');

describe('shimeji-db migrate on a service with Sagas', () => {
  it('creates shimeji_sagas beside the outbox and the service’s own tables', async () => {
    const url = testDatabaseUrl('saga_migrate');
    const config = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'saga-migrate-')), 'config.yaml');
    fs.writeFileSync(config, `ORDERS_DATABASE_URL: ${url}\nlogLevel: silent\n`);
    const run = spawnSync(process.execPath, [path.join(ROOT, 'libs/db/bin/shimeji-db.cjs'), 'migrate', path.join(__dirname, '../fixtures/migrate-target.ts'), '--config', config], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(run.stdout).toContain('migrated: orders_migrated');
    const knex = createKnex({ url });
    try {
      const tables = await knex('pg_tables').where({ schemaname: 'public' }).pluck('tablename');
      expect(tables).toEqual(expect.arrayContaining(['orders', 'shimeji_outbox', 'shimeji_sagas', 'shimeji_saga_migrations']));
    } finally {
      await knex.destroy();
    }
  }, 60_000);
});
