// The Database dependency: `db = inject(new Database({ users: Users }, { migrations }))`, then in
// a worker `await this.db.users.getByEmail(email)` and `catch (e) { if (e instanceof this.db.NotFound) … }`.
import { DependencyProvider, EventHandler, WorkerSkipped, type WorkerContext } from '@platform/shimeji';
import type { Knex } from 'knex';
import type { Collection, CollectionClass } from './collection';
import { createKnex, type DatabaseLocation, describeLocation, ensureDatabaseExists } from './connection';
import { AlreadyExists, ConcurrencyConflict, NotFound } from './errors';
import { FRAMEWORK_MIGRATIONS_TABLE, frameworkMigrations, PROCESSED_TABLE } from './framework-migrations';
import { migrate, type Migration } from './migrations';
import { UnitOfWork } from './transaction';

type Collections = Record<string, CollectionClass>;

/** The expected exceptions, on the wrapper so endpoints need not import them. */
const EXPECTED = { NotFound, AlreadyExists, ConcurrencyConflict } as const;

export type DatabaseWrapper<C extends Collections> = { readonly [K in keyof C]: InstanceType<C[K]> } & typeof EXPECTED;

export interface DatabaseOptions {
  migrations: readonly Migration[];
  /** Config key of the URL; default `<SERVICE>_DATABASE_URL` (e.g. USER_DATABASE_URL). */
  urlKey?: string;
}

/** `<SERVICE>_DATABASE_URL`: one URL per service, so no two services can share a database by accident. */
export function databaseUrlKey(serviceName: string): string {
  return `${serviceName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_DATABASE_URL`;
}

export class Database<C extends Collections> extends DependencyProvider<DatabaseWrapper<C>> {
  knex!: Knex;
  location!: DatabaseLocation;
  private readonly units = new WeakMap<WorkerContext, UnitOfWork>();

  constructor(readonly collections: C, readonly options: DatabaseOptions) {
    super();
  }

  override async setup(): Promise<void> {
    const { config, serviceName, logger } = this.container;
    const url = config[this.options.urlKey ?? databaseUrlKey(serviceName)];
    const dataDir = config.DATA_DIR ? `${String(config.DATA_DIR)}/${serviceName}` : undefined;
    this.location = url ? { url: String(url) } : { dataDir };
    if (this.location.url) await ensureDatabaseExists(this.location.url);
    this.knex = createKnex(this.location);
    const framework = await migrate(this.knex, frameworkMigrations, FRAMEWORK_MIGRATIONS_TABLE);
    const own = await migrate(this.knex, this.options.migrations);
    logger.info({ database: describeLocation(this.location), migrated: [...framework, ...own] }, `database of ${serviceName} ready`);
  }

  override async stop(): Promise<void> {
    await this.knex?.destroy();
  }

  override async kill(): Promise<void> {
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
    const wrapper: Record<string, Collection | unknown> = { ...EXPECTED };
    for (const [name, cls] of Object.entries(this.collections)) wrapper[name] = new cls(unit);
    return wrapper as DatabaseWrapper<C>;
  }

  /**
   * Idempotent consumer: an event with a message id is recorded as processed in the worker's own
   * transaction; one processed before (a redelivery, a duplicate) skips the worker.
   */
  override async workerSetup(workerCtx: WorkerContext): Promise<void> {
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

  /** Commits when the worker succeeded, rolls back when it failed; a failed commit fails the call. */
  override async workerResult(workerCtx: WorkerContext, _result: unknown, error: unknown): Promise<void> {
    const unit = this.units.get(workerCtx);
    if (!unit) return;
    if (error !== undefined) {
      await unit.rollback();
      return;
    }
    await unit.commit();
    await unit.runAfterCommit().catch((hookError: unknown) => {
      this.container.logger.error({ err: hookError, callId: workerCtx.callId }, 'after-commit work failed');
    });
  }

  override async workerTeardown(workerCtx: WorkerContext): Promise<void> {
    await this.units.get(workerCtx)?.rollback();
    this.units.delete(workerCtx);
  }
}
