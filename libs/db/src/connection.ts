// Where a service's database lives: PostgreSQL at the URL its config gives, created when absent,
// or, with no URL, embedded PGlite (in a folder under DATA_DIR, or in memory).
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { knex, type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import pg from 'pg';
import { traceQueries } from './tracing';

export interface DatabaseLocation {
  /** `postgres://user@host:port/database` */
  url?: string;
  /** For embedded PGlite: the folder holding the data; none keeps it in memory. */
  dataDir?: string;
}

export function describeLocation(location: DatabaseLocation): string {
  if (location.url) {
    const url = new URL(location.url);
    if (url.password) url.password = '**';
    return url.toString();
  }
  return location.dataDir ? `embedded PGlite in ${location.dataDir}` : 'embedded PGlite in memory';
}

/** Creates the URL's database if the server does not have it yet. */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`database name "${name}" may only hold letters, digits, "_" and "-"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name}"`).catch((error: { code?: string }) => {
        // Created meanwhile by another instance: PostgreSQL says so as 42P04, or, in a closer
        // race, as a unique violation of its catalogue (23505).
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  } finally {
    await client.end();
  }
}

export interface KnexOptions {
  /** Most connections the pool holds on PostgreSQL (default 10). */
  poolSize?: number;
}

/**
 * PostgreSQL's memory settings for an embedded database, sized for one service on a developer's
 * machine: PGlite otherwise keeps PostgreSQL's defaults (128 MB of shared buffers) in each
 * instance's wasm heap, and `npm start` runs four. Four instances held ~845 MB with the defaults
 * and ~370 MB with these (libs/db README).
 */
const EMBEDDED_SETTINGS = ['shared_buffers=16MB', 'work_mem=2MB', 'temp_buffers=2MB', 'wal_buffers=1MB'];
const EMBEDDED_START_PARAMS = [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS.flatMap((setting) => ['-c', setting])];

export function createKnex(location: DatabaseLocation, options: KnexOptions = {}): Knex {
  if (location.url) {
    // A bounded wait for a connection: a pool that is gone or exhausted fails fast, not after a minute.
    const pool = { min: 0, max: options.poolSize ?? 10 };
    return traced(knex({ client: 'pg', connection: location.url, pool, acquireConnectionTimeout: 10_000 }), false);
  }
  if (location.dataDir) fs.mkdirSync(path.resolve(location.dataDir), { recursive: true });
  const pglite = new PGlite(location.dataDir ? path.resolve(location.dataDir) : undefined, { startParams: EMBEDDED_START_PARAMS });
  // PGlite has one connection: transactions of concurrent workers take turns.
  return traced(knex({ client: ClientPgLite, dialect: 'postgres', connection: { pglite } } as Knex.Config), true);
}

function traced(db: Knex, embedded: boolean): Knex {
  traceQueries(db, embedded);
  return db;
}

/** Where every instance of every service agrees to wait for migrations: one key per database. */
const MIGRATION_LOCK = "hashtext('shimeji: migrations')";

/**
 * Runs `work` holding a PostgreSQL advisory lock of the database, on a session of its own, so that
 * instances starting together migrate one after another: the first applies the migrations
 * (creating the migration tables too, which knex's own lock does not cover), the others find
 * them applied. Embedded PGlite belongs to one process: nothing to wait for.
 */
export async function underMigrationLock<T>(location: DatabaseLocation, work: () => Promise<T>): Promise<T> {
  if (!location.url) return work();
  const client = new pg.Client({ connectionString: location.url });
  await client.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
    return await work();
  } finally {
    await client.end(); // ending the session releases its lock
  }
}
