// How a finished worker is named in metrics and log lines alike: what fired it, how it ended.
import { EventHandler } from './event-handler';
import type { Entrypoint } from './extensions';
import { RpcEntrypoint } from './rpc';
import { Timer } from './timer';

/** What fired a worker; custom entrypoints are `other`, so the label stays bounded. */
export type WorkerKind = 'rpc' | 'event' | 'timer' | 'other';

/** `expected_error`: an error in the entrypoint's `expectedExceptions`, part of its contract. */
export type WorkerResult = 'ok' | 'expected_error' | 'error';

export function workerKind(entrypoint: Entrypoint): WorkerKind {
  if (entrypoint instanceof RpcEntrypoint) return 'rpc';
  if (entrypoint instanceof EventHandler) return 'event';
  if (entrypoint instanceof Timer) return 'timer';
  return 'other';
}

export function workerResult(entrypoint: Entrypoint, error: unknown): WorkerResult {
  if (error === undefined) return 'ok';
  return entrypoint.isExpected(error) ? 'expected_error' : 'error';
}
