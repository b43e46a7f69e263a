// The `Config` dependency and the typed reads of the framework's own config keys.
import { CONFIG_KEYS, DEFAULTS } from './constants';
import { DependencyProvider } from './extensions';

/** A service's configuration: Nameko-style, a plain object of keys (AMQP_URI, maxWorkers, …). */
export type ServiceConfig = Readonly<Record<string, unknown>>;

function positiveInt(config: ServiceConfig, key: string, fallback: number): number {
  const raw = config[key];
  if (raw === undefined || raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`config ${key} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

export const readConfig = {
  amqpUri: (config: ServiceConfig): string => String(config[CONFIG_KEYS.amqpUri] ?? DEFAULTS.amqpUri),
  // `max_workers` is Nameko's spelling; a config file moved from a Nameko project keeps working.
  maxWorkers: (config: ServiceConfig): number =>
    positiveInt(config, config[CONFIG_KEYS.maxWorkers] !== undefined ? CONFIG_KEYS.maxWorkers : 'max_workers', DEFAULTS.maxWorkers),
  rpcTimeoutMs: (config: ServiceConfig): number => positiveInt(config, CONFIG_KEYS.rpcTimeoutMs, DEFAULTS.rpcTimeoutMs),
  heartbeatSeconds: (config: ServiceConfig): number =>
    positiveInt(config, CONFIG_KEYS.heartbeatSeconds, DEFAULTS.heartbeatSeconds),
  parentCallsTracked: (config: ServiceConfig): number =>
    positiveInt(config, CONFIG_KEYS.parentCallsTracked, DEFAULTS.parentCallsTracked),
  eventMaxAttempts: (config: ServiceConfig): number => positiveInt(config, CONFIG_KEYS.eventMaxAttempts, DEFAULTS.eventMaxAttempts),
  eventRetryDelayMs: (config: ServiceConfig): number =>
    config[CONFIG_KEYS.eventRetryDelayMs] === 0 ? 0 : positiveInt(config, CONFIG_KEYS.eventRetryDelayMs, DEFAULTS.eventRetryDelayMs),
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
