// The `Config` dependency and the typed reads of the framework's own config keys.
import { CONFIG_KEYS, DEFAULTS } from './constants';
import { parseDuration } from './duration';
import { DependencyProvider } from './extensions';
import type { RetryPolicy } from './retry-schedule';

/** A service's configuration: Nameko-style, a plain object of keys (AMQP_URI, maxWorkers, …). */
export type ServiceConfig = Readonly<Record<string, unknown>>;

function positiveInt(config: ServiceConfig, key: string, fallback: number): number {
  const raw = config[key];
  if (raw === undefined || raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`config ${key} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

function duration(config: ServiceConfig, key: string, fallback: string): number {
  const raw = config[key] ?? fallback;
  const value = parseDuration(raw);
  if (value === undefined) throw new Error(`config ${key} must be a duration such as 30s, 5m or 24h (or milliseconds), got ${JSON.stringify(raw)}`);
  return value;
}

/** A YAML list, or one string "1s, 10s, 1m" as an environment variable gives it. */
function durations(config: ServiceConfig, key: string, fallback: readonly string[]): number[] {
  const raw = config[key] ?? fallback;
  const items = typeof raw === 'string' ? raw.split(',') : raw;
  const values = Array.isArray(items) ? items.map(parseDuration) : [];
  if (values.length === 0 || values.some((v) => v === undefined)) {
    throw new Error(`config ${key} must be a list of durations such as [1s, 10s, 1m] (or milliseconds), got ${JSON.stringify(raw)}`);
  }
  return values as number[];
}

// Before eventRetrySchedule there was one delay, doubled on each attempt: a config that still
// sets it keeps that backoff.
const DOUBLINGS_OF_LEGACY_DELAY = 10;

function eventRetryPolicy(config: ServiceConfig): RetryPolicy {
  const legacyDelay = config[CONFIG_KEYS.eventRetryDelayMs];
  const scheduleMs =
    config[CONFIG_KEYS.eventRetrySchedule] === undefined && legacyDelay !== undefined
      ? Array.from({ length: DOUBLINGS_OF_LEGACY_DELAY }, (_, i) => duration(config, CONFIG_KEYS.eventRetryDelayMs, '0') * 2 ** i)
      : durations(config, CONFIG_KEYS.eventRetrySchedule, DEFAULTS.eventRetrySchedule);
  const maxAttempts = config[CONFIG_KEYS.eventMaxAttempts] === undefined ? undefined : positiveInt(config, CONFIG_KEYS.eventMaxAttempts, 1);
  return { scheduleMs, deadlineMs: duration(config, CONFIG_KEYS.eventRetryDeadline, DEFAULTS.eventRetryDeadline), maxAttempts };
}

export const readConfig = {
  amqpUri: (config: ServiceConfig): string => String(config[CONFIG_KEYS.amqpUri] ?? DEFAULTS.amqpUri),
  amqpQueueType: (config: ServiceConfig): 'classic' | 'quorum' => {
    const raw = config[CONFIG_KEYS.amqpQueueType];
    const value = raw === undefined || raw === null || raw === '' ? 'classic' : String(raw).trim().toLowerCase();
    if (value !== 'classic' && value !== 'quorum') throw new Error(`${CONFIG_KEYS.amqpQueueType} is "${String(raw)}": expected classic or quorum`);
    return value;
  },
  // `max_workers` is Nameko's spelling; a config file moved from a Nameko project keeps working.
  maxWorkers: (config: ServiceConfig): number =>
    positiveInt(config, config[CONFIG_KEYS.maxWorkers] !== undefined ? CONFIG_KEYS.maxWorkers : 'max_workers', DEFAULTS.maxWorkers),
  rpcTimeoutMs: (config: ServiceConfig): number => positiveInt(config, CONFIG_KEYS.rpcTimeoutMs, DEFAULTS.rpcTimeoutMs),
  heartbeatSeconds: (config: ServiceConfig): number =>
    positiveInt(config, CONFIG_KEYS.heartbeatSeconds, DEFAULTS.heartbeatSeconds),
  parentCallsTracked: (config: ServiceConfig): number =>
    positiveInt(config, CONFIG_KEYS.parentCallsTracked, DEFAULTS.parentCallsTracked),
  /** eventRetrySchedule, eventRetryDeadline and the optional cap eventMaxAttempts, checked. */
  eventRetryPolicy,
  logLevel: (config: ServiceConfig): string => String(config[CONFIG_KEYS.logLevel] ?? process.env.LOG_LEVEL ?? DEFAULTS.logLevel),
};

/**
 * How events exchanges are declared. Nameko's `AUTO_DELETE_EVENT_EXCHANGES` is honoured, so a
 * cluster that sets it can share exchanges with us (declarations must agree).
 */
export function eventExchangeOptions(config: ServiceConfig): { durable: boolean; autoDelete: boolean } {
  const autoDelete = config.AUTO_DELETE_EVENT_EXCHANGES;
  return { durable: true, autoDelete: autoDelete === true || autoDelete === 'true' };
}

/** Read-only access to the service's config in a worker: `config = inject(new Config())`. */
export class Config extends DependencyProvider<ServiceConfig> {
  getDependency(): ServiceConfig {
    return this.container.config;
  }
}
