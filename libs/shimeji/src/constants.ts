// Every name on the wire, config key and default in one place: exchange and queue name
// templates, header names, dead-letter names. The AMQP names and `nameko.*` headers are Nameko
// 2.x's, so that our services and Nameko's share one broker topology and read each other's
// context (see test/wire/fixtures/nameko/topology.json); the `x-shimeji-*` ones are ours.

export const RPC_EXCHANGE = 'nameko-rpc';
export const rpcQueueName = (service: string): string => `rpc-${service}`;
export const rpcBindingKey = (service: string): string => `${service}.*`;
export const rpcRoutingKey = (service: string, method: string): string => `${service}.${method}`;
export const replyQueueName = (caller: string, replyId: string): string => `rpc.reply-${caller}-${replyId}`;
/** Reply queues outlive a dropped connection for this long, so a reconnecting caller gets its replies. */
export const REPLY_QUEUE_EXPIRES_MS = 300_000;

/** Context data travels in `nameko.<key>` headers (`nameko.user_id`, `nameko.language`, …). */
export const HEADER_PREFIX = 'nameko';
export const CALL_ID_STACK_KEY = 'call_id_stack';
/** The header carrying a context key: `contextHeader('user_id')` is `nameko.user_id`. */
export const contextHeader = (key: string): string => `${HEADER_PREFIX}.${key}`;
/** The chain of call ids that led to a message. */
export const CALL_ID_STACK_HEADER = contextHeader(CALL_ID_STACK_KEY);
export const STANDALONE_CALLER = 'standalone_rpc_proxy';

export const JSON_CONTENT_TYPE = 'application/json';
export const UTF8 = 'utf-8';
export const PERSISTENT = 2;

export const eventExchangeName = (service: string): string => `${service}.events`;
export const HANDLER_TYPES = { servicePool: 'service_pool', singleton: 'singleton', broadcast: 'broadcast' } as const;
export type HandlerType = (typeof HANDLER_TYPES)[keyof typeof HANDLER_TYPES];
/** Nameko's event queue names: one per handler (service pool), one per event (singleton), one per instance (broadcast). */
export const eventQueueName = {
  servicePool: (source: string, eventType: string, service: string, method: string): string =>
    `evt-${source}-${eventType}--${service}.${method}`,
  singleton: (source: string, eventType: string): string => `evt-${source}-${eventType}`,
  broadcast: (source: string, eventType: string, service: string, method: string, instanceId: string): string =>
    `evt-${source}-${eventType}--${service}.${method}-${instanceId}`,
};
/** The default exchange: routes a message straight to the queue its routing key names. */
export const DEFAULT_EXCHANGE = '';

/** Ours, not Nameko's: how many times an event was handled, counted by its retries. */
export const ATTEMPTS_HEADER = 'x-shimeji-attempts';
/** Ours: when an event first failed (ISO 8601), the start of its retry deadline. */
export const FIRST_FAILED_AT_HEADER = 'x-shimeji-first-failed-at';
/**
 * Ours: where a failed event waits before its next attempt, one queue per handler queue and
 * delay. The broker holds it (per-queue TTL) and then dead-letters it back to the handler queue,
 * so the handler queue keeps Nameko's declaration.
 */
export const retryQueueName = (queue: string, delay: string): string => `${queue}.retry.${delay}`;
/** A delay queue nobody published to for this long after its TTL is removed by the broker. */
export const RETRY_QUEUE_IDLE_EXPIRY_MS = 3_600_000;

/** Ours, not Nameko's: where rejected messages go, with the reason, for an operator to inspect. */
export const DEAD_LETTER_EXCHANGE = 'shimeji.dead-letter';
export const DEAD_LETTER_QUEUE_SUFFIX = '.dead-letter';
export const deadLetterQueueName = (queue: string): string => `${queue}${DEAD_LETTER_QUEUE_SUFFIX}`;
/**
 * Ours: the names of the dead-letter queues, one message per queue, since AMQP cannot list
 * queues and the management plugin may be off; `shimeji dead-letters` reads it.
 */
export const DEAD_LETTER_REGISTRY_QUEUE = 'shimeji.dead-letter-queues';
/** What a dead letter carries besides the original message: why, and where it came from. */
export const DEAD_LETTER_HEADERS = {
  reason: 'x-shimeji-dead-letter-reason',
  queue: 'x-shimeji-original-queue',
  exchange: 'x-shimeji-original-exchange',
  routingKey: 'x-shimeji-original-routing-key',
  at: 'x-shimeji-dead-lettered-at',
} as const;

/**
 * Ours, not Nameko's: where running containers answer describe requests (src/discovery.ts), each
 * from an exclusive queue of its own. Nothing of discovery touches `nameko-rpc` or an event exchange.
 */
export const DISCOVERY_EXCHANGE = 'shimeji.discovery';
export const DISCOVERY_ROUTING_KEY = 'describe';
export const discoveryQueueName = (service: string, instanceId: string): string => `shimeji.discovery-${service}-${instanceId}`;
/** Where an asker collects the answers: exclusive, gone with its connection. */
export const discoveryReplyQueueName = (id: string): string => `shimeji.discovery.reply-${id}`;

export const CONFIG_KEYS = {
  amqpUri: 'AMQP_URI',
  /** `classic` (default) or `quorum`: the type of the durable queues a service declares. */
  amqpQueueType: 'AMQP_QUEUE_TYPE',
  maxWorkers: 'maxWorkers',
  rpcTimeoutMs: 'rpcTimeoutMs',
  heartbeatSeconds: 'heartbeatSeconds',
  parentCallsTracked: 'parentCallsTracked',
  eventMaxAttempts: 'eventMaxAttempts',
  eventRetryDelayMs: 'eventRetryDelayMs',
  eventRetrySchedule: 'eventRetrySchedule',
  eventRetryDeadline: 'eventRetryDeadline',
  logLevel: 'logLevel',
  /** `false`: the service's containers do not answer discovery's describe requests (default true). */
  discovery: 'discovery',
  /** Public keys of the facades: who may vouch for a user (PEM text, files or folders). */
  accessUserPublicKeys: 'ACCESS_USER_PUBLIC_KEYS',
  /** Public keys of services: who may vouch for a service acting on its own. */
  accessServicePublicKeys: 'ACCESS_SERVICE_PUBLIC_KEYS',
  /** The private key a service signs its own identity with. */
  accessServiceSigningKey: 'ACCESS_SERVICE_SIGNING_KEY',
  /** The private key a facade signs its users' tokens with. */
  accessUserSigningKey: 'ACCESS_USER_SIGNING_KEY',
  /** The facades whose users' tokens services accept. */
  accessAudiences: 'ACCESS_AUDIENCES',
  /** How long a minted access token lives. */
  accessTokenTtl: 'ACCESS_TOKEN_TTL',
} as const;

export const DEFAULTS = {
  amqpUri: 'amqp://guest:guest@localhost',
  maxWorkers: 10,
  /** No call waits forever: Nameko's default is to wait indefinitely, ours is not. */
  rpcTimeoutMs: 30_000,
  /** Short enough that a dead peer is noticed within seconds. */
  heartbeatSeconds: 5,
  parentCallsTracked: 10,
  /**
   * The pauses before each retry of a failed event (with requeueOnError), the last repeating:
   * long enough to ride out a mail server's restart or an afternoon's outage.
   */
  eventRetrySchedule: ['1s', '10s', '1m', '5m', '30m', '1h'],
  /** No retry later than this after the event first failed: then it is dead-lettered. */
  eventRetryDeadline: '24h',
  logLevel: 'info',
  accessAudiences: ['web', 'admin', 'support'],
  /** Minutes: enough for a request and the calls it makes, short enough that a stolen one soon dies. */
  accessTokenTtl: '5m',
} as const;

/**
 * Where a shimeji caller takes its reply straight from the broker (RabbitMQ's direct reply-to),
 * beside Nameko's `reply_to`, which stays as Nameko has it. Outside the `nameko.` prefix, so a
 * Nameko service neither reads it nor passes it on: it answers through the reply queue as ever.
 */
export const DIRECT_REPLY_HEADER = 'x-shimeji-direct-reply-to';
