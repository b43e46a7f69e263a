// The Sagas dependency: `sagas = inject(new Sagas(this.db, [cancelOrder]))`, declared after the
// service's Database, then in a worker `const id = await this.sagas.start(cancelOrder, context)`.
// A saga started in a worker is recorded in the worker's own transaction, so it exists if and only
// if the worker's changes committed; the runner is kicked once they have. The container's runner
// also takes up, on start and every poll, whatever sagas an earlier process left unfinished.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Database, OutboxDispatcher } from '@platform/db';
import { DependencyProvider, readConfig, WorkerContext } from '@platform/shimeji';
import type { SagaContext, SagaDefinition } from './definition';
import { SagaMetrics } from './saga-metrics';
import { SAGA_MIGRATIONS_TABLE, sagaMigrations } from './saga-migrations';
import { type LocalScope, SagaRunner, type SagaRunnerOptions } from './saga-runner';
import { insertSaga, type StepPhase } from './saga-store';
import { RpcStepCaller } from './rpc-step-caller';

/** The runner's settings a service may change; see SagaRunnerOptions. */
export type SagasOptions = Partial<Pick<SagaRunnerOptions, 'leaseMs' | 'pollMs' | 'concurrency' | 'retryDelaysMs' | 'maxAttempts' | 'compensationAttempts' | 'transient'>> & {
  /** The service's OutboxDispatcher field (`this.dispatch`): local steps then get `dispatch`, its events committed with the step. */
  outbox?: unknown;
  /** Timeout of a remote step's call; default the container's `rpcTimeoutMs`. */
  timeoutMs?: number;
};

/** What a worker sees. */
export interface SagaStarter {
  /** Records a new saga in the worker's transaction; it runs once the worker has committed. Resolves with its id. */
  start<C extends SagaContext>(definition: SagaDefinition<C>, context: C): Promise<string>;
}

export class Sagas extends DependencyProvider<SagaStarter> {
  private readonly database: Database<any>;
  private readonly outbox?: OutboxDispatcher;
  private caller?: RpcStepCaller;
  /** Set once the container has started; undefined before and after. */
  runner?: SagaRunner;

  /** `db`: the field that injects the service's Database (`this.db`); `definitions`: every saga the service runs. */
  constructor(db: unknown, readonly definitions: readonly SagaDefinition<any>[], private readonly options: SagasOptions = {}) {
    super();
    this.database = Database.of(db, 'Sagas');
    if (options.outbox !== undefined && !(options.outbox instanceof OutboxDispatcher)) {
      throw new TypeError('Sagas: `outbox` is the field that injects the OutboxDispatcher (`this.dispatch`), declared before it');
    }
    this.outbox = options.outbox;
    // Here, not in setup: `shimeji-db migrate` builds the service and applies what its Database holds.
    this.database.addFrameworkMigrations(SAGA_MIGRATIONS_TABLE, sagaMigrations);
    const names = new Set<string>();
    for (const definition of definitions) {
      if (names.has(definition.name)) throw new Error(`Sagas: two sagas are named ${definition.name}`);
      names.add(definition.name);
    }
  }

  override async setup(): Promise<void> {
    this.caller = new RpcStepCaller(this.container, { timeoutMs: this.options.timeoutMs ?? readConfig.rpcTimeoutMs(this.container.config) });
  }

  override async start(): Promise<void> {
    await this.caller!.start();
    const registry = this.container.metrics?.registry;
    this.runner = new SagaRunner({
      ...this.options,
      knex: this.database.knex,
      definitions: this.definitions,
      call: this.caller!.call,
      owner: `${this.container.serviceName}@${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      localScope: (sagaId, step, phase) => this.localScope(sagaId, step, phase),
      metrics: registry ? SagaMetrics.in(registry) : undefined,
      logger: this.container.logger.child({ dependency: 'sagas' }),
    });
    this.runner.start();
  }

  /** Steps running finish and are recorded; the rest waits for the next start, or another instance. */
  override async stop(): Promise<void> {
    await this.runner?.stop();
    await this.caller?.stop();
  }

  override async kill(): Promise<void> {
    this.runner?.kill();
    await this.caller?.stop().catch(() => undefined);
  }

  getDependency(workerCtx: WorkerContext): SagaStarter {
    return {
      start: async (definition, context) => {
        if (!this.definitions.includes(definition)) {
          throw new Error(`saga ${definition.name} is not among the sagas ${this.container.serviceName} declares (new Sagas(this.db, [${definition.name}, …])): a restarted service could not resume it`);
        }
        const unit = this.database.unitOfWork(workerCtx);
        const id = await insertSaga(await unit.transaction(), definition.name, context);
        unit.onAfterCommit(async () => this.runner?.kick());
        return id;
      },
    };
  }

  /** A local step runs as a worker would: the service's collections and outbox on one unit of work. */
  private localScope(sagaId: string, step: string, phase: StepPhase): LocalScope {
    const { serviceName, config } = this.container;
    const ctx = new WorkerContext(serviceName, `saga.${step}.${phase}`, [sagaId], {}, [], readConfig.parentCallsTracked(config));
    return { unit: this.database.unitOfWork(ctx), db: this.database.getDependency(ctx), dispatch: this.outbox?.getDependency(ctx) };
  }
}
