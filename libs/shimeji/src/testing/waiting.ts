// Waiting for what happens asynchronously across services, without sleeping blindly.
import type { ServiceContainer, WorkerOutcome } from '../container';
import { inspectDeadLetters } from '../dead-letter-queue';
import type { Transport } from '../transport/transport';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns something other than undefined, and returns that; fails saying
 * `what` did not happen in time. `await eventually('the order to be paid', async () => …)`.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await sleep(50);
  }
}

/**
 * Resolves once `count` workers of `method` finished whose arguments mention `mentioning`; start
 * it before the trigger. Like entrypointWaiter, for several workers about one thing.
 */
export function workersFinished(
  container: ServiceContainer,
  method: string,
  mentioning: string,
  count = 1,
  timeoutMs = 15_000,
): Promise<WorkerOutcome[]> {
  const outcomes: WorkerOutcome[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      remove();
      reject(new Error(`${outcomes.length} of ${count} ${method} workers about ${mentioning} finished in time`));
    }, timeoutMs);
    const remove = container.onWorkerFinished((outcome) => {
      if (outcome.ctx.methodName !== method || !JSON.stringify(outcome.ctx.args).includes(mentioning)) return;
      outcomes.push(outcome);
      if (outcomes.length < count) return;
      clearTimeout(timer);
      remove();
      resolve(outcomes);
    });
  });
}

/** The reason a message mentioning `marker` was dead-lettered from `queue`, once it has been. */
export async function deadLetterReason(transport: Transport, queue: string, marker: string): Promise<string> {
  return eventually(`a dead letter about ${marker} in ${queue}`, async () => {
    const letters = await inspectDeadLetters(transport, queue, 100);
    return letters.find((letter) => letter.body.includes(marker))?.reason;
  });
}
