// Handling events: `@eventHandler('payment', 'payment_taken') async onPaymentTaken(payload) {…}`.
// Queue names, flags and bindings are Nameko's, for each of its three handler types, so Nameko
// services' events reach our handlers and ours reach theirs.
import { randomUUID } from 'node:crypto';
import { eventExchangeOptions, readConfig } from './config';
import { ATTEMPTS_HEADER, eventExchangeName, eventQueueName, FIRST_FAILED_AT_HEADER, HANDLER_TYPES, type HandlerType } from './constants';
import { publishDelayed } from './delay-queues';
import { formatDuration } from './duration';
import { ContainerStopping } from './exceptions';
import { Entrypoint, type EntrypointOptions } from './extensions';
import { QueueConsumer } from './queue-consumer';
import { nextRetry, type RetryPolicy } from './retry-schedule';
import { entrypointDecorator } from './service-definition';
import type { Delivery, QueueOptions } from './transport/transport';
import { decodeJson } from './wire';
import { contextFromHeaders } from './worker-context';

export interface EventHandlerOptions extends EntrypointOptions {
  /**
   * `service_pool` (default): one instance of each listening service gets the event.
   * `broadcast`: every instance gets it. `singleton`: exactly one listener in the cluster.
   */
  handlerType?: HandlerType;
  /** Keep events in the queue while no instance listens (default true; false for broadcast). */
  reliableDelivery?: boolean;
  /**
   * On error, try the event again after each pause of the config's `eventRetrySchedule`, until
   * `eventRetryDeadline` after its first failure (default false: one attempt). The event waits
   * in a delay queue on the broker meanwhile. Either way an event that still fails is
   * dead-lettered with the reason, never dropped and never retried forever.
   */
  requeueOnError?: boolean;
  /**
   * Errors that no retry can cure (a malformed or unknown request, say): an event whose handler
   * throws one is dead-lettered at once with the reason, even with `requeueOnError`. Separate
   * from `expectedExceptions`, which only says an error is not a bug: a mail server that is down
   * is expected, and worth retrying.
   */
  permanentErrors?: (abstract new (...args: any[]) => Error)[];
  /**
   * Names this instance's broadcast queue (default: a random id per start). Give one that
   * survives restarts, such as the host name, to combine broadcast with reliableDelivery.
   */
  broadcastIdentifier?: string;
}

export class EventHandler extends Entrypoint {
  readonly handlerType: HandlerType;
  readonly reliableDelivery: boolean;
  readonly requeueOnError: boolean;
  /** Tells this instance's broadcast queue from other instances'. */
  readonly broadcastIdentifier: string;
  queue = '';
  private retryPolicy?: RetryPolicy;
  /** Remembers which events it settled, so one redelivered after a lost ack is not handled twice. */
  private readonly consumer = new QueueConsumer<'settled'>(this, (delivery) => this.handle(delivery));

  constructor(readonly sourceService: string, readonly eventType: string, readonly handlerOptions: EventHandlerOptions = {}) {
    super(handlerOptions);
    this.handlerType = handlerOptions.handlerType ?? HANDLER_TYPES.servicePool;
    // A broadcast queue is one instance's own, so by default it goes with its consumer.
    this.reliableDelivery = handlerOptions.reliableDelivery ?? this.handlerType !== HANDLER_TYPES.broadcast;
    this.broadcastIdentifier = handlerOptions.broadcastIdentifier ?? randomUUID().replace(/-/g, '');
    if (this.handlerType === HANDLER_TYPES.broadcast && this.reliableDelivery && !handlerOptions.broadcastIdentifier) {
      // As Nameko refuses it: a durable queue named after a random id would be left behind by
      // every restart, filling up with events nobody reads.
      throw new Error(
        'a broadcast handler with reliableDelivery needs a broadcastIdentifier that survives restarts (e.g. the host name)',
      );
    }
    this.requeueOnError = handlerOptions.requeueOnError ?? false;
    if (!Object.values(HANDLER_TYPES).includes(this.handlerType)) {
      throw new Error(`handlerType must be one of ${Object.values(HANDLER_TYPES).join(', ')}, got "${this.handlerType}"`);
    }
  }

  override describe(): string {
    return `event ${this.sourceService}.${this.eventType} -> ${this.methodName} (${this.handlerType}, queue ${this.queue})`;
  }

  /** Where failures of this handler are kept: stable across instances, even for broadcast queues. */
  get deadLetterSource(): string {
    const { serviceName } = this.container;
    return this.handlerType === HANDLER_TYPES.broadcast
      ? eventQueueName.servicePool(this.sourceService, this.eventType, serviceName, this.methodName)
      : this.queue;
  }

  override async setup(): Promise<void> {
    const { serviceName, transport } = this.container;
    const { sourceService: source, eventType: type, methodName: method } = this;
    // Read at setup, so a mistyped schedule stops the service at start, not at the first failure.
    this.retryPolicy = readConfig.eventRetryPolicy(this.container.config);
    this.queue =
      this.handlerType === HANDLER_TYPES.singleton
        ? eventQueueName.singleton(source, type)
        : this.handlerType === HANDLER_TYPES.broadcast
          ? eventQueueName.broadcast(source, type, serviceName, method, this.broadcastIdentifier)
          : eventQueueName.servicePool(source, type, serviceName, method);
    // Nameko's flags: without reliable delivery the queue goes with its consumer; a broadcast
    // queue is this instance's own (exclusive), unless it must outlive the instance.
    const exclusive = this.handlerType === HANDLER_TYPES.broadcast && !this.reliableDelivery;
    const options: QueueOptions = { durable: !exclusive, autoDelete: !this.reliableDelivery, exclusive };
    await transport.assertExchange(eventExchangeName(source), eventExchangeOptions(this.container.config));
    await transport.assertQueue(this.queue, options);
    await transport.bindQueue(this.queue, eventExchangeName(source), type);
  }

  override async start(): Promise<void> {
    await this.consumer.start(this.queue);
  }

  /** Stops consuming, then waits until every received event is settled. */
  override async stop(): Promise<void> {
    await this.consumer.drain();
  }

  override async kill(): Promise<void> {
    await this.consumer.cancel();
  }

  private async handle(delivery: Delivery): Promise<void> {
    let payload: unknown;
    try {
      payload = decodeJson(delivery.body, delivery.properties);
    } catch (error) {
      this.container.logger.error({ err: error, queue: this.queue }, 'malformed event dead-lettered');
      await this.deadLetter(delivery, `malformed event: ${(error as Error).message}`);
      return;
    }
    // Handled here before the connection dropped and its ack was lost: not a second time.
    await this.consumer.once(
      delivery.properties.messageId,
      delivery.redelivered,
      async () => ((await this.process(delivery, payload)) === 'settled' ? 'settled' : undefined),
      async () => delivery.ack(),
    );
  }

  /** Handles one event; says whether it was settled or went back to the queue. */
  private async process(delivery: Delivery, payload: unknown): Promise<'settled' | 'requeued'> {
    const { data, callIdStack } = contextFromHeaders(delivery.properties.headers);
    let outcome;
    try {
      outcome = await this.container.spawnWorker(this, [payload], {
        data,
        parentCallIdStack: callIdStack,
        message: { id: delivery.properties.messageId, redelivered: delivery.redelivered },
      });
    } catch (error) {
      // Not begun (the container is stopping): another instance, or this one later, takes it.
      if (!(error instanceof ContainerStopping)) this.container.logger.error({ err: error }, 'event not handled');
      delivery.nack(true);
      return 'requeued';
    }
    if (outcome.error === undefined) {
      delivery.ack();
      return 'settled';
    }
    return this.failed(delivery, outcome.error);
  }

  private isPermanent(error: unknown): boolean {
    return (this.handlerOptions.permanentErrors ?? []).some((cls) => error instanceof cls);
  }

  private async failed(delivery: Delivery, error: unknown): Promise<'settled' | 'requeued'> {
    const headers = delivery.properties.headers ?? {};
    const attempts = Number(headers[ATTEMPTS_HEADER] ?? 1) || 1;
    const firstFailedAt = Date.parse(String(headers[FIRST_FAILED_AT_HEADER] ?? '')) || Date.now();
    const what = error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
    const failedMessage = `handler ${this.container.serviceName}.${this.methodName} failed ${attempts} time(s): ${what}`;
    if (this.isPermanent(error)) return this.deadLetter(delivery, `${failedMessage} (a permanent error: not retried)`);
    if (!this.requeueOnError) return this.deadLetter(delivery, failedMessage);
    const decision = nextRetry(this.retryPolicy!, attempts, firstFailedAt, Date.now());
    if (!decision.retry) return this.deadLetter(delivery, `${failedMessage} (gave up: ${decision.why})`);
    try {
      await publishDelayed(this.container.transport, this.queue, delivery, decision.delayMs, {
        [ATTEMPTS_HEADER]: attempts + 1,
        [FIRST_FAILED_AT_HEADER]: new Date(firstFailedAt).toISOString(),
      });
      this.container.logger.warn(
        { queue: this.queue, attempts, retryIn: formatDuration(decision.delayMs) },
        'event handler failed; the event waits for its next attempt',
      );
      delivery.ack();
      this.container.metrics?.eventsRetried.inc(this.metricLabels);
      return 'settled';
    } catch (publishError) {
      this.container.logger.error({ err: publishError }, 'could not retry an event; it returns to the queue');
      delivery.nack(true);
      return 'requeued';
    }
  }

  private async deadLetter(delivery: Delivery, reason: string): Promise<'settled' | 'requeued'> {
    const settled = await this.consumer.deadLetter(this.deadLetterSource, delivery, reason);
    if (settled) this.container.metrics?.eventsDeadLettered.inc(this.metricLabels);
    return settled ? 'settled' : 'requeued';
  }

  private get metricLabels() {
    return { service: this.container.serviceName, handler: this.methodName, source: this.sourceService, type: this.eventType };
  }
}

/**
 * Handles events of type `eventType` dispatched by `sourceService`:
 * `@eventHandler('payment', 'payment_taken', { handlerType: 'broadcast' })`.
 */
export function eventHandler(sourceService: string, eventType: string, options: EventHandlerOptions = {}) {
  return entrypointDecorator<EventHandlerOptions>(() => new EventHandler(sourceService, eventType, options))(options);
}
