// A payment awaiting 3-D Secure: its payer authenticates with their bank, through Stripe.js, and
// then confirms it. One who never comes back must not hold the order for ever: after
// PAYMENT_AUTHENTICATION_TIMEOUT (or when they abandon it) the attempt may be given up, cancelled
// at Stripe, and another begun, with another card or the same.
import { formatDuration, parseDuration } from '@platform/shimeji';
import type { TransactionRow } from './dependencies/db';

export const AUTHENTICATION_TIMEOUT_SETTING = 'PAYMENT_AUTHENTICATION_TIMEOUT';
/** Stripe.js's challenge and a bank's page take minutes; a quarter of an hour leaves room for both. */
export const DEFAULT_AUTHENTICATION_TIMEOUT_MS = 15 * 60_000;

/** Why an attempt awaiting authentication failed: its payer gave it up, or took too long. */
export const ABANDONED = 'authentication_abandoned';
export const TIMED_OUT = 'authentication_timed_out';

/** How long a payer has to authenticate, from config (`15m`, `90s`, milliseconds); a bad value fails the start. */
export function authenticationTimeout(config: Readonly<Record<string, unknown>>): number {
  const raw = config[AUTHENTICATION_TIMEOUT_SETTING];
  if (raw === undefined || raw === '') return DEFAULT_AUTHENTICATION_TIMEOUT_MS;
  const ms = parseDuration(raw);
  if (ms === undefined || ms < 1) throw new Error(`${AUTHENTICATION_TIMEOUT_SETTING} must be a duration such as 15m or 90s, got ${String(raw)}`);
  return ms;
}

/** The timeout as errors name it: `PAYMENT_AUTHENTICATION_TIMEOUT (15m)`. */
export const describeTimeout = (timeoutMs: number): string => `${AUTHENTICATION_TIMEOUT_SETTING} (${formatDuration(timeoutMs)})`;

/** An attempt Stripe answered with requires_action: it waits for its payer to authenticate and confirm. */
export const awaitsAuthentication = (t: TransactionRow): boolean => t.state === 'processing' && t.payment_intent_id !== null;

/** Whether the payer has had their time: another attempt may replace this one. */
export function authenticationExpired(t: TransactionRow, now: Date, timeoutMs: number): boolean {
  if (!awaitsAuthentication(t)) return false;
  const since = t.authentication_started_at ?? t.updated_at; // rows from before the column: their last change
  return now.getTime() - since.getTime() >= timeoutMs;
}

/** An attempt given up on authentication (abandoned or timed out): a failure no money moved on. */
export const wasAbandoned = (t: TransactionRow): boolean => t.state === 'failed' && (t.failure_reason === ABANDONED || t.failure_reason === TIMED_OUT);
