// Idempotent entrypoints (`@rpc({ idempotent: true })`): a call made again with the same
// idempotency key, or a request the broker delivers again after a crash (the same correlation
// id), is answered with the first call's outcome, recorded in the service's own database in the
// very transaction of the call's effects. So the record and the effect commit together or not at
// all, across restarts and instances, where a process's memory of recent requests cannot reach.
import { createHash } from 'node:crypto';
import { encodeJson, type Entrypoint, IdempotencyKeyReused, serializeError, WorkerAnswered, type WorkerContext } from '@platform/shimeji';
import type { Knex } from 'knex';
import { IDEMPOTENT_CALLS_TABLE } from './framework-migrations';
import type { UnitOfWork } from './transaction';

/** How long an outcome is kept for calls made again: Stripe keeps its keys at least 24 hours. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

const MAX_KEY_LENGTH = 512;

interface CallRow {
  fingerprint: string;
  outcome: { result: unknown } | { error: ReturnType<typeof serializeError> } | null;
}

/** The key a call is known by, if its entrypoint is idempotent and the call has one. */
export function idempotencyKeyOf(workerCtx: WorkerContext): string | undefined {
  const options = (workerCtx.entrypoint as Entrypoint | undefined)?.options;
  if (!options?.idempotent) return undefined;
  const given = workerCtx.data.idempotency_key;
  if (typeof given === 'string' && given.length > 0) return given.slice(0, MAX_KEY_LENGTH);
  const correlationId = workerCtx.message?.correlationId;
  return correlationId ? `correlation:${correlationId}` : undefined;
}

const fingerprintOf = (args: readonly unknown[]): string => createHash('sha256').update(encodeJson(args)).digest('hex');

/** A call claimed: what it ended in is recorded, before its transaction commits. */
export interface ClaimedCall {
  record(result: unknown, error: unknown): void;
}

/**
 * Claims the call in the worker's transaction. A first call goes on, and its outcome is recorded
 * with its effects; a call made before is answered with that call's outcome (WorkerAnswered);
 * the same key with other arguments is refused (IdempotencyKeyReused). Two calls with one key at
 * once: the second waits on the first's row, then reads its outcome. `keeps(error)` says whether
 * the worker's transaction commits on an error (libs/db's `commitOn`): then so does the error.
 */
export async function claimCall(unit: UnitOfWork, workerCtx: WorkerContext, key: string, keeps: (error: unknown) => boolean): Promise<ClaimedCall> {
  const trx = await unit.transaction();
  const entrypoint = `${workerCtx.serviceName}.${workerCtx.methodName}`;
  const fingerprint = fingerprintOf(workerCtx.args);
  const claimed = await trx(IDEMPOTENT_CALLS_TABLE)
    .insert({ entrypoint, key, fingerprint })
    .onConflict(['entrypoint', 'key'])
    .ignore()
    .returning('key');
  if (claimed.length === 0) {
    const earlier = (await trx(IDEMPOTENT_CALLS_TABLE).where({ entrypoint, key }).first()) as CallRow;
    if (earlier.fingerprint !== fingerprint) {
      throw new IdempotencyKeyReused(`idempotency key ${key} was used for another request to ${entrypoint}: use a new key for a new request`);
    }
    if (earlier.outcome) throw new WorkerAnswered(earlier.outcome);
  }
  let outcome: CallRow['outcome'] = null;
  unit.onBeforeCommit(async (commit: Knex.Transaction) => {
    if (outcome !== null) await commit(IDEMPOTENT_CALLS_TABLE).where({ entrypoint, key }).update({ outcome: encodeJson(outcome).toString('utf8') });
  });
  return {
    record(result, error) {
      if (error === undefined) outcome = { result: result ?? null };
      else if (keeps(error)) outcome = { error: serializeError(error, workerCtx.serviceName) };
    },
  };
}

/** Forgets outcomes older than the retention: a key may be used again after that. */
export async function forgetOldCalls(knex: Knex, retentionMs = IDEMPOTENCY_RETENTION_MS): Promise<number> {
  return knex(IDEMPOTENT_CALLS_TABLE).where('created_at', '<', new Date(Date.now() - retentionMs)).delete();
}
