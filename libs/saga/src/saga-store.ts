// The saga table's queries: the runner and the CLI read and write sagas only through these.
// Times that decide who may work on a saga (leases, retries) are the database's clock, so runners
// on machines whose clocks disagree still agree.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { SAGAS_TABLE } from './saga-migrations';

export type SagaStatus = 'running' | 'compensating' | 'completed' | 'compensated' | 'stuck';
export type SagaOutcome = 'completed' | 'compensated' | 'stuck';
export type StepPhase = 'execute' | 'compensate';

export const ACTIVE_STATUSES: readonly SagaStatus[] = ['running', 'compensating'];

/** One step's one phase, as the CLI shows it: the last try's timing and error. */
export interface StepRecord {
  step: string;
  phase: StepPhase;
  status: 'done' | 'failed' | 'retrying';
  attempts: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  error?: string;
}

export interface SagaState {
  id: string;
  name: string;
  status: SagaStatus;
  cursor: number;
  context: Record<string, unknown>;
  steps: StepRecord[];
  failure: string | null;
  stuckReason: string | null;
  attempts: number;
  nextAttemptAt: Date;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

/** The runner's lease on a saga was taken by another (it ran out): this runner must stop at once. */
export class LeaseLost extends Error {
  constructor(sagaId: string, owner: string) {
    super(`saga ${sagaId} is no longer leased to ${owner}`);
  }
}

type Db = Knex | Knex.Transaction;

const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
const date = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));

function toState(row: Record<string, unknown>): SagaState {
  return {
    id: String(row.id),
    name: String(row.name),
    status: row.status as SagaStatus,
    cursor: Number(row.cursor),
    context: json(row.context) as Record<string, unknown>,
    steps: json(row.steps) as StepRecord[],
    failure: (row.failure as string | null) ?? null,
    stuckReason: (row.stuck_reason as string | null) ?? null,
    attempts: Number(row.attempts),
    nextAttemptAt: date(row.next_attempt_at),
    leaseOwner: (row.lease_owner as string | null) ?? null,
    leaseUntil: row.lease_until ? date(row.lease_until) : null,
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
    finishedAt: row.finished_at ? date(row.finished_at) : null,
  };
}

const inMs = (db: Db, ms: number): Knex.Raw => db.raw('now() + make_interval(secs => ?)', [ms / 1000]);

/** Records a new saga, to run from its first step; in `db`'s transaction when it is one. */
export async function insertSaga(db: Db, name: string, context: Record<string, unknown>, id: string = randomUUID()): Promise<string> {
  await db(SAGAS_TABLE).insert({ id, name, status: 'running', cursor: 0, context: JSON.stringify(context), steps: JSON.stringify([]) });
  return id;
}

/**
 * Leases up to `limit` sagas due for work that no live runner holds. `FOR UPDATE SKIP LOCKED`
 * keeps two runners claiming at once from taking the same row; the lease keeps the row theirs
 * once this short transaction committed, while steps run outside any transaction.
 */
export async function claimSagas(knex: Knex, owner: string, leaseMs: number, limit: number): Promise<string[]> {
  return knex.transaction(async (trx) => {
    const rows: { id: string }[] = await trx(SAGAS_TABLE)
      .select('id')
      .whereIn('status', ACTIVE_STATUSES)
      .andWhere('next_attempt_at', '<=', trx.fn.now())
      .andWhere((q) => q.whereNull('lease_until').orWhere('lease_until', '<', trx.fn.now()))
      .orderBy('next_attempt_at')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    await trx(SAGAS_TABLE).whereIn('id', ids).update({ lease_owner: owner, lease_until: inMs(trx, leaseMs) });
    return ids;
  });
}

export async function getSaga(db: Db, id: string): Promise<SagaState | undefined> {
  const row = await db(SAGAS_TABLE).where({ id }).first();
  return row ? toState(row) : undefined;
}

/** Reads the saga and locks its row for `trx`, if `owner` still holds its lease. */
export async function lockOwned(trx: Knex.Transaction, id: string, owner: string): Promise<SagaState> {
  const row = await trx(SAGAS_TABLE).where({ id, lease_owner: owner }).forUpdate().first();
  if (!row) throw new LeaseLost(id, owner);
  return toState(row);
}

export interface SagaChanges {
  status?: SagaStatus;
  cursor?: number;
  context?: Record<string, unknown>;
  steps?: StepRecord[];
  failure?: string | null;
  stuckReason?: string | null;
  attempts?: number;
  /** Try the action at the cursor again this long from now (a retry), letting go of the lease. */
  retryInMs?: number;
  /** The saga is over: no runner needs it again. */
  finished?: boolean;
}

/** Moves the saga on, if `owner` still holds its lease (else LeaseLost: the change is refused). */
export async function updateOwned(db: Db, id: string, owner: string, changes: SagaChanges): Promise<void> {
  const update: Record<string, unknown> = { updated_at: db.fn.now() };
  if (changes.status !== undefined) update.status = changes.status;
  if (changes.cursor !== undefined) update.cursor = changes.cursor;
  if (changes.context !== undefined) update.context = JSON.stringify(changes.context);
  if (changes.steps !== undefined) update.steps = JSON.stringify(changes.steps);
  if (changes.failure !== undefined) update.failure = changes.failure;
  if (changes.stuckReason !== undefined) update.stuck_reason = changes.stuckReason;
  if (changes.attempts !== undefined) update.attempts = changes.attempts;
  if (changes.retryInMs !== undefined || changes.finished) Object.assign(update, { lease_owner: null, lease_until: null });
  if (changes.retryInMs !== undefined) update.next_attempt_at = inMs(db, changes.retryInMs);
  if (changes.finished) update.finished_at = db.fn.now();
  const updated = await db(SAGAS_TABLE).where({ id, lease_owner: owner }).update(update);
  if (updated !== 1) throw new LeaseLost(id, owner);
}

/** Extends the lease while a step runs; false when it was lost meanwhile. */
export async function renewLease(knex: Knex, id: string, owner: string, leaseMs: number): Promise<boolean> {
  return (await knex(SAGAS_TABLE).where({ id, lease_owner: owner }).update({ lease_until: inMs(knex, leaseMs) })) === 1;
}

/** Lets go of a saga not finished (the runner stops): another runner may take it at once. */
export async function releaseLease(knex: Knex, id: string, owner: string): Promise<void> {
  await knex(SAGAS_TABLE).where({ id, lease_owner: owner }).update({ lease_owner: null, lease_until: null });
}

/**
 * An operator's retry of a stuck saga (its compensation's cause fixed): compensating again from
 * where it stopped, due at once. False when the saga is not stuck.
 */
export async function retryStuck(db: Db, id: string): Promise<boolean> {
  const updated = await db(SAGAS_TABLE)
    .where({ id, status: 'stuck' })
    .update({ status: 'compensating', attempts: 0, stuck_reason: null, finished_at: null, next_attempt_at: db.fn.now(), lease_owner: null, lease_until: null, updated_at: db.fn.now() });
  return updated === 1;
}

export interface ListOptions {
  status?: SagaStatus;
  limit?: number;
}

/** The newest sagas first. */
export async function listSagas(db: Db, options: ListOptions = {}): Promise<SagaState[]> {
  const query = db(SAGAS_TABLE).orderBy('created_at', 'desc').limit(options.limit ?? 50);
  if (options.status) query.where({ status: options.status });
  return (await query).map(toState);
}
