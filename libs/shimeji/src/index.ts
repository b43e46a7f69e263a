// shimeji: Nameko-style services for TypeScript. See libs/shimeji/README.md.
export { Config, eventExchangeOptions, readConfig, type ServiceConfig } from './config';
export { accessConfigured, accessTokenTtlMs, serviceIssuerFromConfig, userIssuerFromConfig, verifierFromConfig } from './access-keys';
export { AccessRule, type AllowRule } from './access-rules';
export {
  AUTH_TOKEN_KEY,
  GUEST_ROLE,
  type Identity,
  type NamedKey,
  pemBlocks,
  readPublicKeys,
  readSigningKey,
  SERVICE_AUDIENCE,
  SERVICE_ROLE,
  serviceSubject,
  type TokenClaims,
  TokenIssuer,
  TokenVerifier,
  type VerifierKeys,
} from './access-tokens';
export { CallerIdentity, ServiceIdentity, serviceIdentity } from './service-identity';
export {
  ATTEMPTS_HEADER,
  CONFIG_KEYS,
  DEAD_LETTER_HEADERS,
  DEFAULTS,
  eventExchangeName,
  FIRST_FAILED_AT_HEADER,
  HANDLER_TYPES,
  type HandlerType,
} from './constants';
export { ServiceContainer, type ContainerOptions, type SpawnOptions, type WorkerOutcome } from './container';
export {
  type DeadLetter,
  deadLetter,
  deadLetterQueueOf,
  inspectDeadLetters,
  registeredDeadLetterQueues,
  replayDeadLetters,
} from './dead-letter-queue';
export { delayQueueName } from './delay-queues';
export { formatDuration, parseDuration } from './duration';
export { type Dispatch, EventDispatcher, eventMessage } from './event-dispatcher';
export { EventHandler, eventHandler, type EventHandlerOptions } from './event-handler';
export * from './exceptions';
export { DependencyProvider, Entrypoint, type EntrypointOptions, Extension, SharedExtension } from './extensions';
export type { EntrypointArguments } from './entrypoint-arguments';
export { createLogger, logDestination, type Logger } from './logger';
export { METRICS_CONTENT_TYPE, metricsText, processMetrics, ServiceMetrics, type WorkerKind, type WorkerResult } from './metrics';
export {
  DEFAULT_METRICS_HOST,
  METRICS_CONFIG_KEYS,
  metricsHandler,
  metricsHostOf,
  metricsPortOf,
  type MetricsServer,
  startMetricsServer,
} from './metrics-server';
export { bindArguments, readParameters, type Parameter } from './parameters';
export { isSecretName, REDACTED, redactConfig, redactText, redactUri, redactValue } from './redaction';
export { ReplyListener, type WhileDisconnected } from './reply-listener';
export { rpc, RpcConsumer, RpcEntrypoint, type RpcOptions } from './rpc';
export { RpcProxy, type RpcProxyOptions } from './rpc-proxy';
export { ConfigError, loadConfigFile, parseConfig } from './config-file';
export { loadServiceClasses } from './load-services';
export { nextRetry, type RetryDecision, type RetryPolicy } from './retry-schedule';
export { ServiceRunner } from './runner';
export { Timer, timer, type TimerOptions } from './timer';
export {
  declareEntrypoint,
  entrypointDecorator,
  findDependencyProviders,
  getServiceDefinition,
  inject,
  service,
  type ServiceClass,
} from './service-definition';
export { type CallOptions, createServiceProxy, type ServiceProxy } from './service-proxy';
export { ClusterEventDispatcher, type ClusterEventDispatcherOptions } from './standalone/cluster-event-dispatcher';
export { ClusterRpcClient, type ClusterRpcClientOptions } from './standalone/cluster-rpc-client';
export { AmqpTransport } from './transport/amqp-transport';
export { createTransport } from './transport/create-transport';
export { MemoryBroker, MemoryTransport } from './transport/memory-transport';
export * from './transport/transport';
export { type WorkerLog, WorkerLogger } from './worker-logger';
export { requestIdOf, type WorkerFields, workerFields } from './worker-log-line';
export { type ContextData, contextFromHeaders, contextToHeaders, WorkerContext, type WorkerMessage } from './worker-context';
export { decodeJson, encodeJson, jsonProperties, parseJson, parseRequestBody, type RpcReplyBody, type RpcRequestBody } from './wire';
