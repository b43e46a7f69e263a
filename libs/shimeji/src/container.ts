// A ServiceContainer hosts one service class: it owns the broker connection, the extensions
// (entrypoints, dependency providers, shared extensions) and the pool of workers. Every call
// gets a fresh instance of the service class (a worker) with its dependencies injected.
import type { Identity } from './access-tokens';
import { readConfig, type ServiceConfig } from './config';
import { DISCOVERY_EXTENSION, DiscoveryResponder, discoveryEnabled } from './discovery';
import { ContainerStopping, ReplayedError, WorkerAnswered, WorkerSkipped } from './exceptions';
import { type DependencyProvider, type Entrypoint, type Extension, SharedExtension } from './extensions';
import { InFlight } from './in-flight';
import { createLogger, type Logger } from './logger';
import type { ServiceMetrics } from './metrics';
import { findDependencyProviders, getServiceDefinition, type ServiceClass } from './service-definition';
import { inWorkerSpan, tracingEnabled } from './tracing';
import { createTransport } from './transport/create-transport';
import type { Transport } from './transport/transport';
import { type ContextData, WorkerContext, type WorkerMessage } from './worker-context';
import { workerKind } from './worker-kind';
import { logWorkerFinished, workerFields } from './worker-log-line';

export interface ContainerOptions {
  /** Use this transport instead of one made from the config's AMQP_URI. */
  transport?: Transport;
  logger?: Logger;
  /** Record every worker in these metrics (`ServiceMetrics.in(registry)`); none without. */
  metrics?: ServiceMetrics;
}

export interface WorkerOutcome {
  ctx: WorkerContext;
  result: unknown;
  error: unknown;
  /** `performance.now()` when the worker began, for timing it. */
  startedAt: number;
}

export interface SpawnOptions {
  data?: ContextData;
  parentCallIdStack?: readonly string[];
  callId?: string;
  /** The message the worker serves (id, redelivered), for dependencies that care. */
  message?: WorkerMessage;
  /** The caller, from the call's verified access token. */
  identity?: Identity;
  /** Runs after the dependencies saw the result and before teardown, e.g. to send the reply. */
  handleResult?: (outcome: WorkerOutcome) => Promise<void>;
}

type WorkerListener = (outcome: WorkerOutcome) => void;

type State = 'new' | 'started' | 'stopping' | 'stopped';

export class ServiceContainer {
  readonly serviceName: string;
  readonly maxWorkers: number;
  /** The metrics this container records into, for extensions with measures of their own; none without. */
  readonly metrics: ServiceMetrics | undefined;
  private readonly parentCallsTracked: number;
  readonly transport: Transport;
  readonly logger: Logger;
  readonly entrypoints: Entrypoint[];
  readonly dependencies: Map<string, DependencyProvider>;
  private readonly sharedExtensions = new Map<string, SharedExtension>();
  private readonly running = new InFlight();
  private readonly waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private readonly workerListeners = new Set<WorkerListener>();
  private active = 0;
  private state: State = 'new';

  constructor(readonly serviceClass: ServiceClass, readonly config: ServiceConfig = {}, options: ContainerOptions = {}) {
    const definition = getServiceDefinition(serviceClass);
    this.serviceName = definition.name;
    this.maxWorkers = readConfig.maxWorkers(config);
    this.parentCallsTracked = readConfig.parentCallsTracked(config);
    this.logger = (options.logger ?? createLogger(readConfig.logLevel(config))).child({ service: this.serviceName });
    this.transport =
      options.transport ??
      createTransport(readConfig.amqpUri(config), {
        heartbeatSeconds: readConfig.heartbeatSeconds(config),
        connectionName: `${this.serviceName} (shimeji)`,
        logger: this.logger,
        queueType: readConfig.amqpQueueType(config),
      });
    this.entrypoints = definition.entrypoints.map((declaration) => declaration.create());
    this.dependencies = findDependencyProviders(new serviceClass());
    for (const [attr, provider] of this.dependencies) provider.attrName = attr;
    this.metrics = options.metrics;
    options.metrics?.instrument(this);
    // Answers `shimeji services` and the shell, off Nameko's exchanges (see discovery.ts).
    if (discoveryEnabled(config)) this.shared(DISCOVERY_EXTENSION, () => new DiscoveryResponder());
  }

  /** The container's one instance of a shared extension, created on first request. */
  shared<T extends SharedExtension>(key: string, create: () => T): T {
    let found = this.sharedExtensions.get(key);
    if (!found) {
      found = create();
      found.container = this;
      this.sharedExtensions.set(key, found);
    }
    return found as T;
  }

  get isRunning(): boolean {
    return this.state === 'started';
  }

  /**
   * What keeps the service from serving now, by name (`not running`, `broker`, `database`):
   * empty when it is ready. Each extension gets READINESS_TIMEOUT_MS to answer.
   */
  async readinessProblems(): Promise<string[]> {
    if (!this.isRunning) return ['not running'];
    const problems = this.transport.connected ? [] : ['broker'];
    const extensions: Extension[] = [...this.dependencies.values(), ...this.sharedExtensions.values(), ...this.entrypoints];
    const answers = await Promise.all(extensions.map((extension) => answerWithin(extension, READINESS_TIMEOUT_MS)));
    for (const answer of answers) if (answer && !problems.includes(answer)) problems.push(answer);
    return problems;
  }

  /** Workers running now (at most `maxWorkers`). */
  get workersInFlight(): number {
    return this.active;
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`container ${this.serviceName} was already started`);
    await this.transport.connect();
    const own: Extension[] = [...this.dependencies.values(), ...this.entrypoints];
    for (const extension of own) extension.container = this;
    for (const extension of own) await extension.setup();
    for (const extension of this.sharedExtensions.values()) await extension.setup();
    for (const provider of this.dependencies.values()) await provider.start();
    for (const extension of this.sharedExtensions.values()) await extension.start();
    for (const entrypoint of this.entrypoints) await entrypoint.start();
    this.state = 'started';
    this.logger.info(
      { entrypoints: this.entrypoints.map((e) => e.describe()), broker: this.transport.description, maxWorkers: this.maxWorkers },
      `service ${this.serviceName} started`,
    );
  }

  /**
   * Graceful stop: entrypoints stop taking work, workers in flight finish (their replies are
   * sent and their messages acknowledged), work not yet begun goes back to the broker, then the
   * connection closes. Nothing runs twice.
   */
  async stop(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'stopping') return;
    const wasStarted = this.state === 'started';
    this.state = 'stopping';
    for (const waiter of this.waiting.splice(0)) waiter.reject(new ContainerStopping(`${this.serviceName} is stopping`));
    if (wasStarted) {
      for (const entrypoint of this.entrypoints) await entrypoint.stop();
      await this.running.idle();
      // In reverse: a dependency may use one declared before it (the outbox writes through the database).
      for (const provider of [...this.dependencies.values()].reverse()) await provider.stop();
      for (const extension of this.sharedExtensions.values()) await extension.stop();
    }
    await this.transport.close();
    this.state = 'stopped';
    this.logger.info(`service ${this.serviceName} stopped`);
  }

  /** Stop at once: work in flight is abandoned and its messages return to the broker. */
  async kill(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopping';
    for (const waiter of this.waiting.splice(0)) waiter.reject(new ContainerStopping(`${this.serviceName} was killed`));
    const all: Extension[] = [...this.entrypoints, ...this.dependencies.values(), ...this.sharedExtensions.values()];
    await Promise.allSettled(all.map((extension) => extension.kill()));
    await this.transport.close();
    this.state = 'stopped';
    this.logger.warn(`service ${this.serviceName} killed`);
  }

  /** Called with the outcome of every worker; returns a function that removes the listener. */
  onWorkerFinished(listener: WorkerListener): () => void {
    this.workerListeners.add(listener);
    return () => this.workerListeners.delete(listener);
  }

  /**
   * Runs the entrypoint's method in a new worker once a worker slot is free. Rejects with
   * ContainerStopping, without running anything, if the container stops first.
   */
  async spawnWorker(entrypoint: Entrypoint, args: readonly unknown[], options: SpawnOptions = {}): Promise<WorkerOutcome> {
    // Most calls find a free slot: take it without a trip through the microtask queue.
    if (!this.tryAcquireSlot()) await this.waitForSlot();
    this.running.begin();
    try {
      if (!tracingEnabled()) return await this.runWorker(entrypoint, args, options);
      return await inWorkerSpan(this.serviceName, entrypoint.methodName, workerKind(entrypoint), options.data ?? {}, (e) => entrypoint.isExpected(e), () =>
        this.runWorker(entrypoint, args, options),
      );
    } finally {
      this.running.end();
      this.releaseSlot();
    }
  }

  private async runWorker(entrypoint: Entrypoint, args: readonly unknown[], options: SpawnOptions): Promise<WorkerOutcome> {
    const startedAt = performance.now();
    const ctx = new WorkerContext(
      this.serviceName,
      entrypoint.methodName,
      args,
      options.data ?? {},
      options.parentCallIdStack ?? [],
      this.parentCallsTracked,
      options.callId,
    );
    ctx.entrypoint = entrypoint;
    if (options.message) ctx.message = options.message;
    if (options.identity) ctx.identity = options.identity;
    const providers = [...this.dependencies.values()];
    let result: unknown;
    let error: unknown;
    let skipped: string | undefined;
    try {
      const worker = new this.serviceClass() as Record<string, unknown>;
      for (const provider of providers) worker[provider.attrName] = provider.getDependency(ctx);
      for (const provider of providers) await provider.workerSetup(ctx);
      const method = worker[entrypoint.methodName];
      if (typeof method !== 'function') throw new Error(`${this.serviceName}.${entrypoint.methodName} is not a method`);
      result = await method.apply(worker, args);
    } catch (caught) {
      if (caught instanceof WorkerAnswered) {
        if ('error' in caught.outcome) error = new ReplayedError(caught.outcome.error);
        else result = caught.outcome.result;
      } else if (caught instanceof WorkerSkipped) skipped = caught.message;
      else error = caught;
    }
    for (const provider of providers) {
      try {
        await provider.workerResult(ctx, result, error);
      } catch (caught) {
        // A dependency that cannot accept the result (a commit that failed) fails the call.
        if (error === undefined) error = caught;
        this.logger.error({ err: caught, ...workerFields(ctx), dependency: provider.attrName }, 'workerResult failed');
      }
    }
    const outcome: WorkerOutcome = { ctx, result: error === undefined ? result : undefined, error, startedAt };
    try {
      await options.handleResult?.(outcome);
    } finally {
      for (const provider of providers) {
        try {
          await provider.workerTeardown(ctx);
        } catch (caught) {
          this.logger.error({ err: caught, ...workerFields(ctx), dependency: provider.attrName }, 'workerTeardown failed');
        }
      }
      // After the teardown, as the metrics time it: the line's duration includes the reply.
      try {
        logWorkerFinished(this.logger, { ctx, error, startedAt, skipped });
      } catch {
        // A logger that cannot write this line must not keep the worker from finishing.
      }
      for (const listener of this.workerListeners) listener(outcome);
    }
    return outcome;
  }

  private tryAcquireSlot(): boolean {
    if (this.state === 'stopping' || this.state === 'stopped') throw new ContainerStopping(`${this.serviceName} is stopping`);
    if (this.active >= this.maxWorkers) return false;
    this.active++;
    return true;
  }

  private waitForSlot(): Promise<void> {
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private releaseSlot(): void {
    const next = this.waiting.shift();
    if (next) next.resolve();
    else this.active--;
  }
}

/** How long an extension has to say whether it is healthy before it counts as not. */
export const READINESS_TIMEOUT_MS = 2000;

async function answerWithin(extension: Extension, ms: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(resolve, ms, `${extension.constructor.name} (no answer in ${ms} ms)`)));
  try {
    return await Promise.race([extension.unhealthy().catch((error: Error) => `${extension.constructor.name} (${error.message})`), late]);
  } finally {
    clearTimeout(timer);
  }
}
