// Test helpers: `import { runSagaWithFakes } from '@platform/saga/testing'`. A saga's steps are
// driven by the real runner on a real database (embedded PGlite unless told otherwise), with
// each remote call answered by a fake that records what it was sent.
import { createKnex, ensureDatabaseExists, migrate } from '@platform/db';
import { createLogger } from '@platform/shimeji';
import type { Knex } from 'knex';
import type { SagaContext, SagaDefinition } from '../definition';
import { SAGA_MIGRATIONS_TABLE, sagaMigrations } from '../saga-migrations';
import { SagaRunner, type SagaRunnerOptions } from '../saga-runner';
import { ACTIVE_STATUSES, getSaga, insertSaga, type SagaState } from '../saga-store';
import type { StepCall, StepCaller } from '../step-caller';

/** A fake service method, by `service.method`: given the arguments and the whole call (its idempotency key). */
export type Fakes = Record<string, (args: unknown[], call: StepCall) => unknown>;

/** A StepCaller answered by fakes; `calls` is every call made, in order. */
export type FakeStepCaller = StepCaller & { calls: StepCall[] };

export function fakeStepCaller(fakes: Fakes): FakeStepCaller {
  const calls: StepCall[] = [];
  const caller = async (call: StepCall) => {
    calls.push(call);
    const fake = fakes[`${call.service}.${call.method}`];
    if (!fake) throw new Error(`no fake for ${call.service}.${call.method} (fakes: ${Object.keys(fakes).join(', ') || 'none'})`);
    return fake(call.args, call);
  };
  return Object.assign(caller, { calls });
}

/** A database with the saga table: PostgreSQL at `url` (created when absent), else embedded PGlite in memory. */
export async function sagaTestDatabase(url?: string): Promise<Knex> {
  if (url) await ensureDatabaseExists(url);
  const knex = createKnex(url ? { url } : {});
  await migrate(knex, sagaMigrations, SAGA_MIGRATIONS_TABLE);
  return knex;
}

/** Waits until the saga is over (completed, compensated, stuck), driving it with `runner`. */
export async function settle(runner: SagaRunner, knex: Knex, sagaId: string, timeoutMs = 15_000): Promise<SagaState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await runner.drain();
    const state = await getSaga(knex, sagaId);
    if (!state) throw new Error(`no saga ${sagaId}`);
    if (!ACTIVE_STATUSES.includes(state.status)) return state;
    if (Date.now() > deadline) throw new Error(`saga ${sagaId} still ${state.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface RunWithFakesOptions extends Partial<Omit<SagaRunnerOptions, 'knex' | 'definitions' | 'call'>> {
  /** The database to run in (kept open); default a fresh embedded one, closed at the end. */
  knex?: Knex;
}

export interface FakeRun {
  saga: SagaState;
  calls: StepCall[];
}

/**
 * Runs one saga to its end with fakes for its remote steps:
 * `const { saga, calls } = await runSagaWithFakes(cancelOrder, { orderId }, { 'payment.refundPayment': () => ({ id: 're_1' }) })`.
 * Retries wait 1 ms unless `retryDelaysMs` says otherwise; the runner logs nothing unless LOG_LEVEL says.
 */
export async function runSagaWithFakes<C extends SagaContext>(definition: SagaDefinition<C>, context: C, fakes: Fakes, options: RunWithFakesOptions = {}): Promise<FakeRun> {
  const knex = options.knex ?? (await sagaTestDatabase());
  const call = fakeStepCaller(fakes);
  try {
    const logger = createLogger(process.env.LOG_LEVEL ?? 'silent', 'saga');
    const runner = new SagaRunner({ retryDelaysMs: [1], logger, ...options, knex, definitions: [definition], call });
    const id = await insertSaga(knex, definition.name, context);
    return { saga: await settle(runner, knex, id), calls: call.calls };
  } finally {
    if (!options.knex) await knex.destroy();
  }
}

export { ACTIVE_STATUSES };
