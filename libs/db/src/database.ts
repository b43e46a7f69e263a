// The Database dependency: `db = inject(new Database({ users: Users }, { migrations }))`, then in
// a worker `await this.db.users.getByEmail(email)` and `catch (e) { if (e instanceof this.db.NotFound) … }`.
import { DependencyProvider, EventHandler, WorkerSkipped, type WorkerContext } from '@platform/shimeji';
import type { Knex } from 'knex';
import type { Collection, CollectionClass } from './collection';
import { createKnex, type DatabaseLocation, describeLocation, ensureDatabaseExists, underMigrationLock } from './connection';
import { AlreadyExists, ConcurrencyConflict, NotFound } from './errors';
import { FRAMEWORK_MIGRATIONS_TABLE, frameworkMigrations, PROCESSED_TABLE } from './framework-migrations';
import { type ClaimedCall, claimCall, forgetOldCalls, idempotencyKeyOf } from './idempotent-calls';
import { migrate, type Migration } from './migrations';
import { UnitOfWork } from './transaction';

type Collections = Record<string, CollectionClass>;
type ErrorClass = abstract new (...args: any[]) => Error;

/** The expected exceptions, on the wrapper so endpoints need not import them. */
const EXPECTED = { NotFound, AlreadyExists, ConcurrencyConflict } as const;

/** A service's collections on one unit of work. */
export type CollectionsOf<C extends Collections> = { readonly [K in keyof C]: InstanceType<C[K]> };

export type DatabaseWrapper<C extends Collections> = CollectionsOf<C> &
  typeof EXPECTED & {
    /**
     * Runs `work` in a transaction of its own, committed as soon as it resolves (rolled back if it
     * throws), whatever the worker does next: for what must be on record before the worker acts
     * outside the database (an attempt to charge before Stripe is called, an email before it
     * leaves). On PostgreSQL it has a pool of its own, so it never waits for a connection held by
     * a worker's transaction. Embedded PGlite has one connection: once the worker's transaction
     * has begun, the work runs in it and commits with it.
     */
    separately<T>(work: (db: CollectionsOf<C>) => Promise<T>): Promise<T>;
  };

export interface DatabaseOptions {
  migrations: readonly Migration[];
  /** Config key of the URL; default `<SERVICE>_DATABASE_URL` (e.g. USER_DATABASE_URL). */
  urlKey?: string;
  /**
   * Expected errors that report what happened rather than undo it: a worker ending in one still
   * commits (a declined card is recorded `failed` and its event goes out, though the caller gets
   * the error).
   */
  commitOn?: readonly ErrorClass[];
}

/** How many connections `separately` may hold on PostgreSQL, beside the workers' pool. */
const SEPARATE_POOL_SIZE = 5;

/** `<SERVICE>_DATABASE_URL`: one URL per service, so no two services can share a database by accident. */
export function databaseUrlKey(serviceName: string): string {
  return `${serviceName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_DATABASE_URL`;
}

export class Database<C extends Collections> extends DependencyProvider<DatabaseWrapper<C>> {
  knex!: Knex;
  location!: DatabaseLocation;
  private separateKnex?: Knex;
  private warnedEmbeddedSeparately = false;
  private readonly units = new WeakMap<WorkerContext, UnitOfWork>();
  private readonly claims = new WeakMap<WorkerContext, ClaimedCall>();
  private forgetting?: NodeJS.Timeout;
  private readonly plumbing: { table: string; migrations: readonly Migration[] }[] = [];
  private stopReading?: () => void;

  constructor(readonly collections: C, readonly options: DatabaseOptions) {
    super();
  }

  /**
   * The Database behind a field declared with `inject(new Database(…))`, for a dependency that
   * works with it: `dispatch = inject(new OutboxDispatcher(this.db))`, declared after `db`.
   */
  static of(injected: unknown, user: string): Database<any> {
    if (injected instanceof Database) return injected;
    throw new TypeError(`${user} needs the service's Database: pass the field that injects it, declared before it (\`new ${user}(this.db)\`)`);
  }

  /**
   * For libraries built on the Database (sagas): tables of their own, migrated on start with the
   * framework's, under the same lock, recorded in a migrations table of their own (`table`).
   * Call it from the dependency's constructor, so `shimeji-db migrate` applies them too.
   */
  addFrameworkMigrations(table: string, migrations: readonly Migration[]): void {
    if (!this.plumbing.some((p) => p.table === table)) this.plumbing.push({ table, migrations });
  }

  override async setup(): Promise<void> {
    const { config, serviceName, logger } = this.container;
    const url = config[this.options.urlKey ?? databaseUrlKey(serviceName)];
    const dataDir = config.DATA_DIR ? `${String(config.DATA_DIR)}/${serviceName}` : undefined;
    this.location = url ? { url: String(url) } : { dataDir };
    if (this.location.url) await ensureDatabaseExists(this.location.url);
    this.knex = createKnex(this.location);
    const { framework, own } = await underMigrationLock(this.location, async () => {
      const applied = await migrate(this.knex, frameworkMigrations, FRAMEWORK_MIGRATIONS_TABLE);
      for (const { table, migrations } of this.plumbing) applied.push(...(await migrate(this.knex, migrations, table)));
      return { framework: applied, own: await migrate(this.knex, this.options.migrations) };
    });
    logger.info({ database: describeLocation(this.location), migrated: [...framework, ...own] }, `database of ${serviceName} ready`);
  }

  /** Outcomes of idempotent calls are forgotten after a day, hourly. */
  override async start(): Promise<void> {
    const forget = () => void forgetOldCalls(this.knex).catch((error: unknown) => this.container.logger.warn({ err: error }, 'could not forget old idempotent calls'));
    forget();
    this.forgetting = setInterval(forget, 60 * 60 * 1000);
    this.forgetting.unref();
    this.stopReading = this.container.metrics?.readAtScrape(
      'shimeji_db_pool_connections',
      'Database connections of a service, by state: used, free, and acquires waiting for one (pending)',
      ['service', 'state'],
      () => this.poolSamples(),
    );
  }

  /** The pool's connections as knex's pool (tarn) counts them; none for a client without a pool. */
  private poolSamples(): { labels: Record<string, string>; value: number }[] {
    const pool = (this.knex?.client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number } } | undefined)?.pool;
    if (!pool) return [];
    const service = this.container.serviceName;
    return [
      { labels: { service, state: 'used' }, value: pool.numUsed() },
      { labels: { service, state: 'free' }, value: pool.numFree() },
      { labels: { service, state: 'pending' }, value: pool.numPendingAcquires() },
    ];
  }

  /** Not ready while the database does not answer a trivial query. */
  override async unhealthy(): Promise<string | undefined> {
    try {
      await this.knex.raw('select 1');
      return undefined;
    } catch {
      return 'database';
    }
  }

  override async stop(): Promise<void> {
    clearInterval(this.forgetting);
    this.stopReading?.();
    await this.separateKnex?.destroy();
    await this.knex?.destroy();
  }

  override async kill(): Promise<void> {
    clearInterval(this.forgetting);
    this.stopReading?.();
    await this.separateKnex?.destroy().catch(() => undefined);
    await this.knex?.destroy().catch(() => undefined);
  }

  /** The unit of work of a worker: for dependencies that write with it (the outbox). */
  unitOfWork(workerCtx: WorkerContext): UnitOfWork {
    let unit = this.units.get(workerCtx);
    if (!unit) {
      unit = new UnitOfWork(this.knex);
      this.units.set(workerCtx, unit);
    }
    return unit;
  }

  getDependency(workerCtx: WorkerContext): DatabaseWrapper<C> {
    const unit = this.unitOfWork(workerCtx);
    const separately = <T>(work: (db: CollectionsOf<C>) => Promise<T>) => this.separately(work, unit);
    return { ...EXPECTED, ...this.collectionsOn(unit), separately } as DatabaseWrapper<C>;
  }

  private collectionsOn(unit: UnitOfWork): CollectionsOf<C> {
    const collections: Record<string, Collection> = {};
    for (const [name, cls] of Object.entries(this.collections)) collections[name] = new cls(unit);
    return collections as CollectionsOf<C>;
  }

  /** See `DatabaseWrapper.separately`; `worker` is the unit of work of the worker asking, if any. */
  async separately<T>(work: (db: CollectionsOf<C>) => Promise<T>, worker?: UnitOfWork): Promise<T> {
    if (!this.location.url && worker?.begun) {
      if (!this.warnedEmbeddedSeparately) {
        this.warnedEmbeddedSeparately = true;
        this.container.logger.warn('embedded database: work meant to commit separately commits with its worker (one connection)');
      }
      return work(this.collectionsOn(worker));
    }
    const unit = new UnitOfWork(this.location.url ? this.separatePool() : this.knex);
    try {
      const result = await work(this.collectionsOn(unit));
      await unit.commit();
      return result;
    } finally {
      await unit.rollback(); // nothing left to undo once committed
    }
  }

  private separatePool(): Knex {
    this.separateKnex ??= createKnex(this.location, { poolSize: SEPARATE_POOL_SIZE });
    return this.separateKnex;
  }

  /**
   * Idempotent consumer: an event with a message id is recorded as processed in the worker's own
   * transaction; one processed before (a redelivery, a duplicate) skips the worker. An idempotent
   * RPC entrypoint's call is claimed the same way, and answered again when made again
   * (idempotent-calls.ts).
   */
  override async workerSetup(workerCtx: WorkerContext): Promise<void> {
    const key = idempotencyKeyOf(workerCtx);
    if (key !== undefined) {
      this.claims.set(workerCtx, await claimCall(this.unitOfWork(workerCtx), workerCtx, key, (error) => this.keeps(error)));
      return;
    }
    const messageId = workerCtx.message?.id;
    if (!messageId || !(workerCtx.entrypoint instanceof EventHandler)) return;
    const trx = await this.unitOfWork(workerCtx).transaction();
    const consumer = `${workerCtx.serviceName}.${workerCtx.methodName}`;
    const inserted = await trx(PROCESSED_TABLE)
      .insert({ message_id: messageId, consumer })
      .onConflict(['message_id', 'consumer'])
      .ignore()
      .returning('message_id');
    if (inserted.length === 0) throw new WorkerSkipped(`message ${messageId} was already processed by ${consumer}`);
  }

  /** Commits when the worker succeeded (or ended in a `commitOn` error), rolls back when it failed; a failed commit fails the call. */
  override async workerResult(workerCtx: WorkerContext, result: unknown, error: unknown): Promise<void> {
    const unit = this.units.get(workerCtx);
    if (!unit) return;
    if (error !== undefined && !this.keeps(error)) {
      await unit.rollback();
      return;
    }
    this.claims.get(workerCtx)?.record(result, error);
    await unit.commit();
    await unit.runAfterCommit().catch((hookError: unknown) => {
      this.container.logger.error({ err: hookError, callId: workerCtx.callId }, 'after-commit work failed');
    });
  }

  override async workerTeardown(workerCtx: WorkerContext): Promise<void> {
    await this.units.get(workerCtx)?.rollback();
    this.units.delete(workerCtx);
    this.claims.delete(workerCtx);
  }

  /** Whether the worker's transaction commits though the worker ended in `error` (`commitOn`). */
  private keeps(error: unknown): boolean {
    return this.options.commitOn?.some((cls) => error instanceof cls) ?? false;
  }
}
