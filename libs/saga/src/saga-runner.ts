// Executes sagas recorded in the table: claims those due (a lease, so one runner at a time works
// on a saga, across processes), runs the step at the cursor and records its outcome, then the
// next, until the saga is over. A remote step runs outside any transaction (no connection is held
// while another service works: embedded PGlite has only one); its outcome is recorded after. A
// local step's writes and the saga's progress commit in one transaction. So a runner that dies
// leaves the saga at its last recorded step, and whoever takes it next goes on from there; a
// remote step it redoes carries the same idempotency key, and its service acts once.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { ConcurrencyConflict, UnitOfWork } from '@platform/db';
import { ConnectionLost, ContainerStopping, createLogger, type Dispatch, type Logger, RpcTimeout, UnknownService } from '@platform/shimeji';
import type { Knex } from 'knex';
import type { LocalStep, SagaDefinition, SagaStep } from './definition';
import type { SagaMetrics } from './saga-metrics';
import {
  claimSagas,
  getSaga,
  LeaseLost,
  lockOwned,
  releaseLease,
  renewLease,
  type SagaChanges,
  type SagaOutcome,
  type SagaState,
  type StepPhase,
  type StepRecord,
  updateOwned,
} from './saga-store';
import { type StepCaller, stepIdempotencyKey } from './step-caller';

/** What a local step runs in: its unit of work and what the service gives it there. */
export interface LocalScope {
  unit: UnitOfWork;
  db?: unknown;
  dispatch?: Dispatch;
}

export interface SagaRunnerOptions {
  knex: Knex;
  /** Every saga this runner may meet in the table: a saga is resumed by its name. */
  definitions: readonly SagaDefinition<any>[];
  call: StepCaller;
  /** Who holds a lease: unique per runner (default host, pid and a random part). */
  owner?: string;
  /** How long a lease lasts unless renewed; renewed every third of it while a step runs (default 30 s). */
  leaseMs?: number;
  /** How often the table is looked at when nothing kicked the runner (default 5 s). */
  pollMs?: number;
  /** Sagas worked on at once (default 4). */
  concurrency?: number;
  /** Pause before each retry, the last repeating (default 1 s, 5 s, 30 s). */
  retryDelaysMs?: readonly number[];
  /** Tries of a step failing for a passing reason (timeout, no connection) before the saga compensates (default 3). */
  maxAttempts?: number;
  /** Tries of a compensation before the saga is `stuck` (default 5). */
  compensationAttempts?: number;
  /** Which errors of a step are worth trying again (default: RPC timeouts, lost connections, unknown service, concurrency conflicts). */
  transient?: (error: unknown) => boolean;
  /** The unit of work (and the service's collections, outbox) a local step runs in; default a bare unit on `knex`. */
  localScope?: (sagaId: string, step: string, phase: StepPhase) => LocalScope;
  metrics?: SagaMetrics;
  logger?: Logger;
}

const DEFAULTS = { leaseMs: 30_000, pollMs: 5_000, concurrency: 4, retryDelaysMs: [1_000, 5_000, 30_000], maxAttempts: 3, compensationAttempts: 5 };

/** How long a saga this runner has no definition for is left before it looks again. */
const UNKNOWN_SAGA_RETRY_MS = 30_000;

export function isTransient(error: unknown): boolean {
  return [RpcTimeout, ConnectionLost, UnknownService, ContainerStopping, ConcurrencyConflict].some((cls) => error instanceof cls);
}

/** One line naming an error: the remote type when a service raised it. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const type = (error as { excType?: string }).excType ?? (error.name !== 'Error' ? error.name : error.constructor.name);
    const message = (error as { excType?: string }).excType ? (error as { value?: string }).value : error.message;
    return `${type}: ${message}`;
  }
  return String(error);
}

/** The last step at or before `from` that can be undone, or -1. */
function compensable(definition: SagaDefinition<any>, from: number): number {
  let cursor = Math.min(from, definition.steps.length - 1);
  while (cursor >= 0 && !definition.steps[cursor]!.compensate) cursor--;
  return cursor;
}

export class SagaRunner {
  readonly owner: string;
  private readonly definitions = new Map<string, SagaDefinition<any>>();
  private readonly settings: typeof DEFAULTS;
  private readonly logger: Logger;
  private readonly transient: (error: unknown) => boolean;
  private stopping = false;
  private kicked = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(private readonly options: SagaRunnerOptions) {
    for (const definition of options.definitions) {
      if (this.definitions.has(definition.name)) throw new Error(`two sagas are named ${definition.name}`);
      this.definitions.set(definition.name, definition);
    }
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.settings = {
      leaseMs: options.leaseMs ?? DEFAULTS.leaseMs,
      pollMs: options.pollMs ?? DEFAULTS.pollMs,
      concurrency: options.concurrency ?? DEFAULTS.concurrency,
      retryDelaysMs: options.retryDelaysMs?.length ? options.retryDelaysMs : DEFAULTS.retryDelaysMs,
      maxAttempts: options.maxAttempts ?? DEFAULTS.maxAttempts,
      compensationAttempts: options.compensationAttempts ?? DEFAULTS.compensationAttempts,
    } as typeof DEFAULTS;
    this.logger = options.logger ?? createLogger(process.env.LOG_LEVEL ?? 'warn', 'saga');
    this.transient = options.transient ?? isTransient;
  }

  definition(name: string): SagaDefinition<any> | undefined {
    return this.definitions.get(name);
  }

  /** Works through due sagas now and then: unfinished ones first, as they are due at once. */
  start(): void {
    this.stopping = false;
    this.loop ??= this.run().finally(() => (this.loop = undefined));
  }

  /** Looks at the table now (a saga was just started). */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** No new step begins; steps running finish and are recorded; leases are let go. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  /** At once: steps running are abandoned; their leases run out and another runner goes on. */
  kill(): void {
    this.stopping = true;
    this.wake?.();
  }

  /** Claims and drives sagas until none is due now; resolves with how many it worked on. */
  async drain(): Promise<number> {
    let worked = 0;
    while (!this.stopping) {
      const claimed = await claimSagas(this.options.knex, this.owner, this.settings.leaseMs, this.settings.concurrency);
      if (claimed.length === 0) return worked;
      worked += claimed.length;
      await Promise.all(claimed.map((id) => this.drive(id)));
    }
    return worked;
  }

  /**
   * Keeps up to `concurrency` sagas going, claiming more as each one lets go, so a saga waiting
   * on a slow step does not hold up the others; sleeps when none is due, until a poll or a kick.
   */
  private async run(): Promise<void> {
    const active = new Set<Promise<void>>();
    while (!this.stopping) {
      this.kicked = false;
      const room = this.settings.concurrency - active.size;
      let claimed: string[] = [];
      if (room > 0) {
        try {
          claimed = await claimSagas(this.options.knex, this.owner, this.settings.leaseMs, room);
        } catch (error) {
          if (!this.stopping) this.logger.error({ err: error }, 'sagas could not be claimed');
        }
      }
      for (const id of claimed) {
        const driving: Promise<void> = this.drive(id).finally(() => {
          active.delete(driving);
          this.kick(); // room for another
        });
        active.add(driving);
      }
      if (room > 0 && claimed.length === room) continue; // maybe more are due
      if (!this.kicked && !this.stopping) await this.sleep(this.settings.pollMs);
    }
    await Promise.all(active);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  /** Runs one leased saga step by step until it is over, waits for a retry, or the runner stops. */
  private async drive(id: string): Promise<void> {
    const { knex } = this.options;
    const renewing = setInterval(() => {
      renewLease(knex, id, this.owner, this.settings.leaseMs).catch((error: unknown) => this.logger.warn({ err: error, saga: id }, 'saga lease not renewed'));
    }, this.settings.leaseMs / 3);
    try {
      for (;;) {
        if (this.stopping) {
          await releaseLease(knex, id, this.owner);
          return;
        }
        const state = await getSaga(knex, id);
        if (!state || state.leaseOwner !== this.owner) return;
        if (!(await this.advance(state))) return;
      }
    } catch (error) {
      if (error instanceof LeaseLost) this.logger.warn({ saga: id, owner: this.owner }, 'saga lease lost: another runner goes on with it');
      else if (!this.stopping) this.logger.error({ err: error, saga: id }, 'saga could not be driven: it is taken up again when its lease runs out');
    } finally {
      clearInterval(renewing);
    }
  }

  /** One move of the saga; false when there is nothing more to do for now. */
  private async advance(state: SagaState): Promise<boolean> {
    const definition = this.definitions.get(state.name);
    if (!definition) {
      // Not stuck: during a rolling deploy another instance may know it. Left for one that does.
      this.logger.error({ saga: state.id, name: state.name }, `this service declares no saga named ${state.name}: left for an instance that does`);
      await this.record(state, { retryInMs: Math.max(this.settings.pollMs, UNKNOWN_SAGA_RETRY_MS) });
      return false;
    }
    if (state.status === 'running') {
      const step = definition.steps[state.cursor];
      if (!step) {
        await this.record(state, { status: 'completed', finished: true });
        return false;
      }
      return this.attempt(state, definition, step, 'execute');
    }
    const cursor = compensable(definition, state.cursor);
    if (cursor < 0) {
      await this.record(state, { status: 'compensated', finished: true });
      return false;
    }
    return this.attempt({ ...state, cursor }, definition, definition.steps[cursor]!, 'compensate');
  }

  /** Tries the step's phase once and records what came of it. */
  private async attempt(state: SagaState, definition: SagaDefinition<any>, step: SagaStep<any>, phase: StepPhase): Promise<boolean> {
    const startedAt = new Date();
    const began = performance.now();
    const tried = (status: StepRecord['status'], error?: unknown): StepRecord[] => {
      const earlier = state.steps.find((r) => r.step === step.name && r.phase === phase);
      const record: StepRecord = {
        step: step.name,
        phase,
        status,
        attempts: (earlier?.attempts ?? 0) + 1,
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        durationMs: Math.round(performance.now() - began),
        ...(error === undefined ? {} : { error: describeError(error) }),
      };
      return [...state.steps.filter((r) => r !== earlier), record];
    };
    const observe = (ok: boolean) => this.options.metrics?.stepTried(state.name, step.name, phase, ok, (performance.now() - began) / 1000);
    try {
      if (step.kind === 'remote') {
        const call = phase === 'execute' ? step.execute : step.compensate!;
        const result = await this.options.call({
          service: call.service,
          method: call.method,
          args: call.args(state.context),
          idempotencyKey: stepIdempotencyKey(state.id, step.name, phase),
          sagaId: state.id,
          saga: state.name,
          step: step.name,
          phase,
        });
        const context = phase === 'execute' ? { ...state.context, ...(step.onSuccess?.(result, state.context) ?? {}) } : state.context;
        observe(true);
        const changes = this.succeeded(state, definition, phase, context, tried('done'));
        await this.record(state, changes);
      } else {
        await this.runLocal(state, definition, step, phase, tried, observe);
      }
      return true;
    } catch (error) {
      if (error instanceof LeaseLost) throw error;
      observe(false);
      return this.failed(state, definition, step, phase, error, tried);
    }
  }

  /** A local step: its writes, its events and the saga's progress in one transaction. */
  private async runLocal(
    state: SagaState,
    definition: SagaDefinition<any>,
    step: LocalStep<any>,
    phase: StepPhase,
    tried: (status: StepRecord['status']) => StepRecord[],
    observe: (ok: boolean) => void,
  ): Promise<void> {
    const scope = this.options.localScope?.(state.id, step.name, phase) ?? { unit: new UnitOfWork(this.options.knex) };
    try {
      const trx = await scope.unit.transaction();
      await lockOwned(trx, state.id, this.owner);
      const action = phase === 'execute' ? step.execute : step.compensate!;
      const returned = await action({ sagaId: state.id, context: state.context, trx, unit: scope.unit, db: scope.db, dispatch: scope.dispatch });
      const context = phase === 'execute' ? { ...state.context, ...(returned ?? {}) } : state.context;
      observe(true);
      const changes = this.succeeded(state, definition, phase, context, tried('done'));
      await this.record(state, changes, trx);
      await scope.unit.commit();
      this.ended(state, changes);
    } finally {
      // Before anything else touches the database: on PGlite the one connection is this transaction's.
      await scope.unit.rollback();
    }
    await scope.unit.runAfterCommit().catch((error: unknown) => this.logger.error({ err: error, saga: state.id, step: step.name }, 'after-commit work of a saga step failed'));
  }

  private succeeded(state: SagaState, definition: SagaDefinition<any>, phase: StepPhase, context: Record<string, unknown>, steps: StepRecord[]): SagaChanges {
    if (phase === 'execute') {
      const cursor = state.cursor + 1;
      const done = cursor >= definition.steps.length;
      return { context, steps, cursor, attempts: 0, ...(done ? { status: 'completed', finished: true } : {}) };
    }
    const cursor = compensable(definition, state.cursor - 1);
    return { steps, cursor: Math.max(cursor, -1), attempts: 0, ...(cursor < 0 ? { status: 'compensated', finished: true } : {}) };
  }

  private async failed(
    state: SagaState,
    definition: SagaDefinition<any>,
    step: SagaStep<any>,
    phase: StepPhase,
    error: unknown,
    tried: (status: StepRecord['status'], error?: unknown) => StepRecord[],
  ): Promise<boolean> {
    const attempts = state.attempts + 1;
    const reason = describeError(error);
    const limit = phase === 'execute' ? this.settings.maxAttempts : this.settings.compensationAttempts;
    const worthRetrying = phase === 'compensate' || this.transient(error);
    this.logger.warn({ saga: state.id, name: state.name, step: step.name, phase, attempts, reason }, 'saga step failed');
    if (worthRetrying && attempts < limit) {
      const delays = this.settings.retryDelaysMs;
      const retryInMs = delays[Math.min(attempts, delays.length) - 1]!;
      await this.record(state, { attempts, steps: tried('retrying', error), retryInMs });
      return false;
    }
    if (phase === 'compensate') {
      const stuckReason = `compensation of ${step.name} failed ${attempts} time(s): ${reason}`;
      await this.record(state, { status: 'stuck', stuckReason, attempts, steps: tried('failed', error), finished: true });
      return false;
    }
    const cursor = compensable(definition, state.cursor - 1);
    const failure = `step ${step.name} failed${attempts > 1 ? ` ${attempts} time(s)` : ''}: ${reason}`;
    const over = cursor < 0 ? ({ status: 'compensated', finished: true } as const) : {};
    await this.record(state, { status: 'compensating', cursor: Math.max(cursor, -1), attempts: 0, failure, steps: tried('failed', error), ...over });
    return cursor >= 0;
  }

  /** Writes the changes if the lease is still ours; alone (no `trx`), it counts the saga's outcome once over. */
  private async record(state: SagaState, changes: SagaChanges, trx?: Knex.Transaction): Promise<void> {
    await updateOwned(trx ?? this.options.knex, state.id, this.owner, changes);
    if (!trx) this.ended(state, changes);
  }

  /** Counts and logs the saga's outcome, once what ended it committed. */
  private ended(state: SagaState, changes: SagaChanges): void {
    if (changes.finished && changes.status) {
      const outcome = changes.status as SagaOutcome;
      this.options.metrics?.ended(state.name, outcome);
      const log = outcome === 'stuck' ? this.logger.error.bind(this.logger) : this.logger.info.bind(this.logger);
      log({ saga: state.id, name: state.name, outcome, reason: changes.stuckReason ?? state.failure ?? undefined }, `saga ${state.name} ${outcome}`);
    }
  }
}
