import { readConfig } from '../../src/config';
import { formatDuration, parseDuration } from '../../src/duration';
import { nextRetry, type RetryPolicy } from '../../src/retry-schedule';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const t0 = Date.parse('2026-01-01T00:00:00Z');

describe('the retry schedule of failed events', () => {
  const policy = readConfig.eventRetryPolicy({});

  it('waits 1 s, 10 s, 1 min, 5 min and 30 min by default, then hourly', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((attempts) => nextRetry(policy, attempts, t0, t0));
    expect(delays.map((d) => (d.retry ? d.delayMs : null))).toEqual([1000, 10_000, MINUTE, 5 * MINUTE, 30 * MINUTE, HOUR, HOUR, HOUR]);
  });

  it('keeps retrying until 24 hours after the first failure by default', () => {
    expect(nextRetry(policy, 20, t0, t0 + 22 * HOUR)).toEqual({ retry: true, delayMs: HOUR });
  });

  it('gives up, saying why, once the next retry would run past the deadline', () => {
    expect(nextRetry(policy, 25, t0, t0 + 23.5 * HOUR)).toEqual({
      retry: false,
      why: 'the retry deadline, 1d after the first failure, passed',
    });
  });

  it('gives up after eventMaxAttempts attempts when a cap is configured', () => {
    const capped: RetryPolicy = { ...policy, maxAttempts: 3 };
    expect(nextRetry(capped, 2, t0, t0).retry).toBe(true);
    expect(nextRetry(capped, 3, t0, t0)).toEqual({ retry: false, why: 'no attempts left (eventMaxAttempts 3)' });
  });
});

describe('the retry settings in the service config', () => {
  it('reads a schedule of durations and a deadline', () => {
    expect(readConfig.eventRetryPolicy({ eventRetrySchedule: ['200ms', '0.5s', 700], eventRetryDeadline: '2m' })).toEqual({
      scheduleMs: [200, 500, 700],
      deadlineMs: 2 * MINUTE,
      maxAttempts: undefined,
    });
  });

  it('reads a schedule given as one comma-separated string, as an environment variable gives it', () => {
    expect(readConfig.eventRetryPolicy({ eventRetrySchedule: '1s, 1m' }).scheduleMs).toEqual([1000, MINUTE]);
  });

  it('keeps the doubling backoff of a config that still sets eventRetryDelayMs', () => {
    const { scheduleMs } = readConfig.eventRetryPolicy({ eventRetryDelayMs: 50, eventMaxAttempts: 3 });
    expect(scheduleMs.slice(0, 3)).toEqual([50, 100, 200]);
  });

  it('rejects a schedule that is not a list of durations, naming the key', () => {
    expect(() => readConfig.eventRetryPolicy({ eventRetrySchedule: ['1s', 'soon'] })).toThrow(/^config eventRetrySchedule must be a list of durations/);
    expect(() => readConfig.eventRetryPolicy({ eventRetrySchedule: [] })).toThrow(/eventRetrySchedule/);
  });

  it('rejects a deadline that is not a duration, naming the key', () => {
    expect(() => readConfig.eventRetryPolicy({ eventRetryDeadline: 'tomorrow' })).toThrow(/^config eventRetryDeadline must be a duration/);
  });
});

describe('durations', () => {
  it('reads milliseconds, seconds, minutes, hours and days', () => {
    expect(['250ms', '10s', '1m', '2h', '1d', '1500', 42].map(parseDuration)).toEqual([250, 10_000, MINUTE, 2 * HOUR, 24 * HOUR, 1500, 42]);
    expect(['-1s', 'a minute', -5, null].map(parseDuration)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('are shown in the largest unit that divides them exactly', () => {
    expect([200, 1000, 10_000, MINUTE, 30 * MINUTE, HOUR, 1500].map(formatDuration)).toEqual(['200ms', '1s', '10s', '1m', '30m', '1h', '1500ms']);
  });
});
