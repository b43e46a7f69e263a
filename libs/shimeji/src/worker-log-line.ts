// What joins a worker's log lines to the call that caused it, and the one line a worker leaves
// when it finishes. The call-id stack travels on the wire (`nameko.call_id_stack`); logging it,
// and the facade's request id when the stack starts at a facade, lets `grep <reqId>` find an
// HTTP request's line and every service line it led to.
import type { Entrypoint } from './extensions';
import type { Logger } from './logger';
import { activeTraceIds, tracingEnabled } from './tracing';
import { workerKind, workerResult } from './worker-kind';
import type { WorkerContext } from './worker-context';

/** Fields on every line about a worker. */
export interface WorkerFields {
  callId: string;
  /** The whole stack as the wire has it, this call's own id last. */
  callIdStack: readonly string[];
  /** The facade request the call chain began with, as the facade logs it (fastify's `reqId`). */
  reqId?: string;
  /** The worker's trace and span, when the process traces. */
  traceId?: string;
  spanId?: string;
}

// A facade calls with `<facade>.http.<request id>` (libs/http rpc.ts); a request id may hold dots.
const FACADE_CALL_ID = /^[^.]+\.http\.(.+)$/;

/** The request id of the facade call a stack begins with, if it begins with one. */
export function requestIdOf(callIdStack: readonly string[]): string | undefined {
  const first = callIdStack[0];
  return first === undefined ? undefined : FACADE_CALL_ID.exec(first)?.[1];
}

export function workerFields(ctx: WorkerContext): WorkerFields {
  const reqId = requestIdOf(ctx.callIdStack);
  const fields: WorkerFields =
    reqId === undefined ? { callId: ctx.callId, callIdStack: ctx.callIdStack } : { callId: ctx.callId, callIdStack: ctx.callIdStack, reqId };
  // Called inside the worker's span when tracing: its ids join the line to the trace.
  const ids = tracingEnabled() ? activeTraceIds() : undefined;
  return ids ? { ...fields, ...ids } : fields;
}


const LEVELS = { ok: 'info', expected_error: 'warn', error: 'error' } as const;

export interface FinishedWorker {
  ctx: WorkerContext;
  error: unknown;
  /** `performance.now()` when the worker began. */
  startedAt: number;
  /** Why a dependency skipped the worker (WorkerSkipped), if one did. */
  skipped?: string;
}

/**
 * One line per finished worker: `info` when it succeeded, `warn` for an error in the
 * entrypoint's `expectedExceptions` (no stack: it is part of the contract), `error` with the
 * stack otherwise. Nothing is built when the level is off, so a busy service at `warn` pays
 * one level check per call.
 */
export function logWorkerFinished(logger: Logger, { ctx, error, startedAt, skipped }: FinishedWorker): void {
  const entrypoint = ctx.entrypoint as Entrypoint;
  const outcome = workerResult(entrypoint, error);
  const level = LEVELS[outcome];
  if (!logger.isLevelEnabled(level)) return;
  const fields = {
    ...workerFields(ctx),
    entrypoint: ctx.methodName,
    kind: workerKind(entrypoint),
    outcome,
    durationMs: Math.round((performance.now() - startedAt) * 1000) / 1000,
    ...(skipped === undefined ? {} : { skipped }),
  };
  if (outcome === 'ok') logger.info(fields, `${ctx.serviceName}.${ctx.methodName} ${skipped === undefined ? 'ok' : 'skipped'}`);
  else if (outcome === 'expected_error') {
    const { name, message } = error as Error;
    const type = (error as Error).constructor?.name ?? name;
    logger.warn({ ...fields, error: { type, message } }, `expected error in ${ctx.callId}`);
  } else logger.error({ ...fields, err: error }, `unexpected error in ${ctx.callId}`);
}
