// Replicas started at the same moment on a new database (`docker compose up --scale payment=3` on
// fresh volumes) all come up: the migrations run once, under one lock that also covers creating
// the migration tables, whichever instance gets there first.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createLogger, type ServiceContainer } from '@platform/shimeji';
import { Database } from '../../src';
import { testDatabaseUrl } from '../../src/testing';
import { frameworkMigrations } from '../../src/framework-migrations';
import { notesMigrations } from '../contract/notes-service';

const logger = createLogger('silent', 'test');

/** The plumbing's migrations, then the service's own: each applied once, in order. */
const EVERY_MIGRATION = [...frameworkMigrations, ...notesMigrations].map((m) => m.name);

/** One instance's Database, as a container would set it up. */
function instance(url: string): Database<Record<string, never>> {
  const database = new Database({}, { migrations: notesMigrations });
  database.container = { config: { NOTES_DATABASE_URL: url }, serviceName: 'notes', logger } as unknown as ServiceContainer;
  return database;
}

async function tablesOf(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    return rows.map((r: { tablename: string }) => r.tablename);
  } finally {
    await client.end();
  }
}

async function appliedOnce(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const own = await client.query('SELECT name FROM knex_migrations ORDER BY id');
    const framework = await client.query('SELECT name FROM shimeji_db_migrations ORDER BY id');
    return [...framework.rows, ...own.rows].map((r: { name: string }) => r.name);
  } finally {
    await client.end();
  }
}

describe('migrations started by many instances at once on a new database', () => {
  it('come up in every instance, again and again, each migration applied once', async () => {
    for (let round = 0; round < 8; round++) {
      const url = testDatabaseUrl(`race${round}`);
      const instances = Array.from({ length: 6 }, () => instance(url));
      const started = await Promise.allSettled(instances.map((d) => d.setup()));
      await Promise.all(instances.map((d) => d.stop()));
      expect(started.filter((s) => s.status === 'rejected')).toEqual([]);
      expect(await appliedOnce(url)).toEqual(EVERY_MIGRATION);
    }
  }, 120_000);

  it('come up when separate processes migrate at the same moment', async () => {
    const url = testDatabaseUrl('race_processes');
    const bin = path.resolve(__dirname, '../../bin/shimeji-db.cjs');
    const service = path.resolve(__dirname, '../contract/notes-service.ts');
    const config = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-')), 'notes.yaml');
    fs.writeFileSync(config, `NOTES_DATABASE_URL: ${url}\nlogLevel: silent\n`);
    const run = () =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, 'migrate', service, '--config', config]);
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        child.on('close', (code) => resolve({ code, output }));
      });
    const runs = await Promise.all([run(), run(), run()]);
    expect(runs.map((r) => [r.code, r.output.trim()])).toEqual(Array(3).fill([0, 'migrated: notes']));
    expect(await tablesOf(url)).toEqual(expect.arrayContaining(['notes', 'tally', 'shimeji_outbox', 'shimeji_processed_messages']));
    expect(await appliedOnce(url)).toEqual(EVERY_MIGRATION);
  }, 120_000);
});
