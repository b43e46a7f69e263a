// When a failed event is tried again, and when we stop trying: a pure function of the attempt
// count and the time of the first failure, both carried by the message itself, so the decision
// is the same on whichever instance, and after whichever restart, the message comes back to.

import { formatDuration } from './duration';

/** How a failing event handler's events are retried (from the service config). */
export interface RetryPolicy {
  /** The pause before each retry; the last one repeats until the deadline. */
  readonly scheduleMs: readonly number[];
  /** No retry is scheduled to run later than this long after the first failure. */
  readonly deadlineMs: number;
  /** A cap on the attempts in all, if any (the deadline alone limits them otherwise). */
  readonly maxAttempts?: number;
}

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | { readonly retry: false; readonly why: string };

/**
 * After the `attempts`-th failed attempt (1 for the first), at `nowMs`, of an event that first
 * failed at `firstFailedAtMs`: wait `delayMs` and try again, or give up, saying why.
 */
export function nextRetry(policy: RetryPolicy, attempts: number, firstFailedAtMs: number, nowMs: number): RetryDecision {
  if (policy.maxAttempts !== undefined && attempts >= policy.maxAttempts) {
    return { retry: false, why: `no attempts left (eventMaxAttempts ${policy.maxAttempts})` };
  }
  const { scheduleMs } = policy;
  const delayMs = scheduleMs[Math.min(attempts, scheduleMs.length) - 1] ?? 0;
  if (nowMs + delayMs - firstFailedAtMs > policy.deadlineMs) {
    return { retry: false, why: `the retry deadline, ${formatDuration(policy.deadlineMs)} after the first failure, passed` };
  }
  return { retry: true, delayMs };
}
