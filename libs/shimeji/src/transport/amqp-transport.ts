// The Transport on RabbitMQ through amqplib. One connection; a confirm channel for every
// publish (so a publish resolves only once the broker holds the message), and a plain channel
// for the few publishes that are `unconfirmed` (RPC replies); a channel of its own
// for each consumer, so each has its own prefetch; and a channel for declaring topology, which
// is opened again when the broker closes it over a failed declaration. Everything declared and
// every consumer is recorded, to be restored after a reconnection.
import * as amqp from 'amqplib';
import {
  type ConsumeOptions,
  type Consumer,
  type Delivery,
  type DeliveryHandler,
  type DirectReplies,
  type MessageProperties,
  type OutgoingMessage,
  type QueueOptions,
  type Transport,
  Unroutable,
} from './transport';
import { batchWrites } from './amqp-batched-writes';
import { framesPublishable, publishConfirmedFrames, publishUnconfirmedFrames } from './amqp-publish';
import { createLogger, type Logger } from '../logger';
import { redactUri } from '../redaction';

export interface AmqpTransportOptions {
  heartbeatSeconds: number;
  /** Shown to the broker (connection name in rabbitmqctl / management UI). */
  connectionName?: string;
  logger?: Logger;
  /** First pause before connecting again; doubled after each failure up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Give up connecting at start after this many attempts (default: keep waiting for the broker). */
  maxConnectAttempts?: number;
  /**
   * `quorum`: the durable queues this process declares (not exclusive, not auto-delete) are
   * RabbitMQ quorum queues, replicated across a cluster's nodes. Default `classic`.
   */
  queueType?: QueueType;
}

export type QueueType = 'classic' | 'quorum';

/**
 * The nodes an AMQP URI names: one URI, or several separated by commas (`amqp://a,amqp://b`),
 * each a node of one cluster. A comma is a separator only before another `amqp(s)://`.
 */
export function brokerUris(uri: string): string[] {
  return uri.split(/\s*,\s*(?=amqps?:\/\/)/).map((part) => part.trim()).filter(Boolean);
}

type Declaration =
  | { kind: 'exchange'; name: string; durable: boolean; autoDelete: boolean }
  | { kind: 'queue'; name: string; options: QueueOptions }
  | { kind: 'binding'; queue: string; exchange: string; pattern: string };

interface ConsumerRecord {
  queue: string;
  onDelivery: DeliveryHandler;
  prefetch: number;
  noAck: boolean;
  channel?: amqp.Channel;
  consumerTag?: string;
  cancelled: boolean;
}

type State = 'new' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** RabbitMQ's pseudo-queue for replies sent straight to a channel (since 3.4). */
const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

/**
 * Survives the broker: at start it waits for the broker with backoff; when the connection drops
 * it connects again, declares again everything that was declared and resumes every consumer.
 * Publishes made meanwhile wait for the connection. Unacknowledged messages of the lost
 * connection are redelivered by the broker, so nothing is lost.
 */
export class AmqpTransport implements Transport {
  readonly description: string;
  private connection?: amqp.ChannelModel;
  private publishChannel?: amqp.ConfirmChannel;
  /** No confirms on it: the broker neither tracks nor acknowledges what goes out here. */
  private unconfirmedChannel?: amqp.Channel;
  private adminChannel?: Promise<amqp.Channel>;
  private readonly declarations = new Map<string, Declaration>();
  private readonly consumers = new Set<ConsumerRecord>();
  private readonly returned = new Set<string>();
  private readonly lostListeners: ((error: Error) => void)[] = [];
  private readonly reconnectedListeners = new Set<() => void>();
  private readonly logger: Logger;
  private state: State = 'new';
  private opened = deferred();
  private wakeRetry?: () => void;

  /** Direct reply-to, once asked for: its handler, its channel and the address the broker gave it. */
  private directHandler?: DeliveryHandler;
  private directChannel?: amqp.Channel;
  private directAddress?: string;

  private readonly uris: string[];
  /** The node connected to last: a lost connection tries the next one first. */
  private node = 0;

  constructor(uri: string, private readonly options: AmqpTransportOptions) {
    this.uris = brokerUris(uri);
    if (this.uris.length === 0) throw new Error('AMQP_URI names no broker');
    this.description = this.uris.map(redactUri).join(',');
    this.logger = (options.logger ?? createLogger()).child({ broker: this.description });
  }

  /** The node this transport is connected to now (redacted), or undefined. */
  get connectedNode(): string | undefined {
    return this.connected ? redactUri(this.uris[this.node]!) : undefined;
  }

  get connected(): boolean {
    return this.state === 'open';
  }

  /** Connects, waiting for an unreachable broker with backoff rather than failing. */
  async connect(): Promise<void> {
    this.state = 'connecting';
    const maxAttempts = this.options.maxConnectAttempts ?? Infinity;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.open();
        this.markOpen();
        if (attempt > 1) this.logger.info(`connected to ${this.description} after ${attempt} attempts`);
        return;
      } catch (error) {
        if (this.isClosed()) throw new Error(`closed while connecting to ${this.description}`);
        if (attempt >= maxAttempts) throw error;
        const delay = this.retryDelay(attempt);
        this.logger.warn(
          { attempt, retryInMs: delay, reason: (error as Error).message },
          `broker ${this.description} not reachable; retrying`,
        );
        await this.pause(delay);
        if (this.isClosed()) throw new Error(`closed while connecting to ${this.description}`);
      }
    }
  }

  onConnectionLost(listener: (error: Error) => void): void {
    this.lostListeners.push(listener);
  }

  onReconnected(listener: () => void): () => void {
    this.reconnectedListeners.add(listener);
    return () => this.reconnectedListeners.delete(listener);
  }

  /**
   * Closes every channel, then the connection. A channel's close goes out after the acks
   * buffered on it, so closing channels first means every ack given reaches the broker; closing
   * the connection alone can overtake them, and answered requests would be delivered again.
   */
  async close(): Promise<void> {
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.wakeRetry?.();
    this.opened.reject(new Error(`the connection to ${this.description} was closed`));
    const connection = this.connection;
    const channels: { close(): Promise<void> }[] = [];
    for (const record of this.consumers) if (record.channel) channels.push(record.channel);
    if (this.publishChannel) channels.push(this.publishChannel);
    if (this.unconfirmedChannel) channels.push(this.unconfirmedChannel);
    if (this.directChannel) channels.push(this.directChannel);
    this.directChannel = undefined;
    this.directAddress = undefined;
    const admin = this.adminChannel;
    this.connection = undefined;
    this.publishChannel = undefined;
    this.unconfirmedChannel = undefined;
    this.adminChannel = undefined;
    this.consumers.clear();
    if (!connection) return;
    if (wasOpen) {
      if (admin) channels.push(await admin.catch(() => ({ close: async () => undefined })));
      await Promise.allSettled(channels.map((channel) => channel.close()));
    }
    await connection.close().catch(() => undefined);
  }

  async assertExchange(name: string, options: { durable: boolean; autoDelete?: boolean }): Promise<void> {
    const declaration: Declaration = { kind: 'exchange', name, durable: options.durable, autoDelete: options.autoDelete ?? false };
    await this.declare(`exchange:${name}`, declaration);
  }

  async assertQueue(name: string, options: QueueOptions): Promise<void> {
    await this.declare(`queue:${name}`, { kind: 'queue', name, options });
  }

  async bindQueue(queue: string, exchange: string, pattern: string): Promise<void> {
    await this.declare(`binding:${queue}:${exchange}:${pattern}`, { kind: 'binding', queue, exchange, pattern });
  }

  async deleteQueue(name: string): Promise<void> {
    for (const [key, declaration] of this.declarations) {
      if ((declaration.kind === 'queue' && declaration.name === name) || (declaration.kind === 'binding' && declaration.queue === name)) {
        this.declarations.delete(key);
      }
    }
    // Not waited for while disconnected: a stop must not hang on a broker that is gone.
    if (this.state !== 'open') throw new Error(`not connected to ${this.description}: queue ${name} was not deleted`);
    await this.admin((ch) => ch.deleteQueue(name));
  }

  async publish(message: OutgoingMessage): Promise<void> {
    if (message.unconfirmed) return this.publishUnconfirmed(message);
    const key = message.properties.correlationId ?? message.properties.messageId;
    if (message.mandatory && !key) throw new Error('a mandatory publish needs a correlationId or messageId to match returns');
    if (this.state !== 'open') await this.ready();
    const channel = this.publishChannel!;
    return new Promise((resolve, reject) => {
      try {
        const confirmed = (error: unknown) => {
          // The broker sends basic.return before the confirm of the same message.
          const wasReturned = message.mandatory && key !== undefined && this.returned.delete(key);
          if (error) reject(error instanceof Error ? error : new Error(String(error)));
          else if (wasReturned) reject(new Unroutable(message.exchange, message.routingKey));
          else resolve();
        };
        const mandatory = message.mandatory ?? false;
        if (framesPublishable(channel, true)) {
          publishConfirmedFrames(channel, message.exchange, message.routingKey, message.body, message.properties, mandatory, confirmed);
        } else {
          channel.publish(message.exchange, message.routingKey, message.body, toAmqpOptions(message.properties, mandatory), confirmed);
        }
      } catch (error) {
        reject(error);
      }
    });
  }

  /**
   * Written to the channel and done. A closed channel throws here, so the caller knows the
   * message did not go out. amqplib buffers what the socket cannot take yet; that buffer is
   * bounded by the callers (an RPC consumer has at most its prefetch of replies outstanding).
   */
  private async publishUnconfirmed(message: OutgoingMessage): Promise<void> {
    if (this.state !== 'open') await this.ready();
    const channel = this.unconfirmedChannel!;
    const mandatory = message.mandatory ?? false;
    if (framesPublishable(channel, false)) {
      publishUnconfirmedFrames(channel, message.exchange, message.routingKey, message.body, message.properties, mandatory);
    } else {
      channel.publish(message.exchange, message.routingKey, message.body, toAmqpOptions(message.properties, mandatory));
    }
  }

  async consume(queue: string, onDelivery: DeliveryHandler, options: ConsumeOptions): Promise<Consumer> {
    const record: ConsumerRecord = { queue, onDelivery, prefetch: options.prefetch, noAck: options.noAck ?? false, cancelled: false };
    this.consumers.add(record);
    await this.ready();
    await this.startConsumer(record);
    return {
      cancel: async () => {
        record.cancelled = true;
        if (record.channel && record.consumerTag && this.state === 'open') {
          await record.channel.cancel(record.consumerTag).catch(() => undefined);
        }
      },
    };
  }

  async get(queue: string): Promise<Delivery | null> {
    await this.ready();
    // A channel of its own: the message stays unacknowledged on it until settled.
    const channel = await this.connection!.createChannel();
    channel.on('error', () => undefined);
    const message = await channel.get(queue, { noAck: false });
    if (!message) {
      await channel.close().catch(() => undefined);
      return null;
    }
    const delivery = toDelivery(channel, message as unknown as amqp.ConsumeMessage);
    const close = () => void channel.close().catch(() => undefined);
    return {
      get body() {
        return delivery.body;
      },
      properties: delivery.properties,
      exchange: delivery.exchange,
      routingKey: delivery.routingKey,
      redelivered: delivery.redelivered,
      ack: () => (delivery.ack(), close()),
      nack: (requeue: boolean) => (delivery.nack(requeue), close()),
    };
  }

  /** Connects to one of the cluster's nodes: the next after the one last used, then the others in turn. */
  private async open(): Promise<void> {
    let lastError: unknown;
    for (let tried = 0; tried < this.uris.length; tried++) {
      const node = (this.node + (this.state === 'reconnecting' ? 1 : 0) + tried) % this.uris.length;
      try {
        await this.openNode(this.uris[node]!);
        if (this.uris.length > 1) this.logger.info({ node: redactUri(this.uris[node]!) }, `connected to node ${redactUri(this.uris[node]!)}`);
        this.node = node;
        return;
      } catch (error) {
        lastError = error;
        if (this.uris.length > 1) this.logger.warn({ node: redactUri(this.uris[node]!), reason: (error as Error).message }, 'broker node not reachable; trying the next');
      }
    }
    throw lastError;
  }

  private async openNode(uri: string): Promise<void> {
    const url = new URL(uri);
    if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', String(this.options.heartbeatSeconds));
    // Without TCP_NODELAY, Nagle's algorithm holds small frames back and one request/reply
    // on loopback takes ~40 ms instead of well under one.
    const connection = await amqp.connect(url.toString(), {
      noDelay: true,
      clientProperties: { connection_name: this.options.connectionName ?? 'shimeji' },
    });
    batchWrites(connection);
    connection.on('error', () => undefined); // 'close' follows with the reason
    connection.on('close', (error?: Error) => this.lost(connection, error));
    const publishChannel = await connection.createConfirmChannel();
    publishChannel.on('error', () => undefined);
    publishChannel.on('return', (message: amqp.Message) => {
      const key = message.properties.correlationId ?? message.properties.messageId;
      if (key) this.returned.add(String(key));
    });
    const unconfirmedChannel = await connection.createChannel();
    unconfirmedChannel.on('error', () => undefined);
    unconfirmedChannel.on('return', (message: amqp.Message) => {
      this.logger.warn(
        { exchange: message.fields.exchange, routingKey: message.fields.routingKey, correlationId: message.properties.correlationId },
        'an unconfirmed message reached no queue and was dropped',
      );
    });
    this.connection = connection;
    this.publishChannel = publishChannel;
    this.unconfirmedChannel = unconfirmedChannel;
    this.adminChannel = undefined;
  }

  private lost(connection: amqp.ChannelModel, error?: Error): void {
    if (connection !== this.connection || this.isClosed()) return;
    const reason = error ?? new Error('connection closed by the broker');
    this.logger.warn({ reason: reason.message }, `lost the connection to ${this.description}; reconnecting`);
    this.state = 'reconnecting';
    this.connection = undefined;
    this.publishChannel = undefined;
    this.unconfirmedChannel = undefined;
    this.adminChannel = undefined;
    this.directChannel = undefined;
    this.directAddress = undefined;
    for (const record of this.consumers) record.channel = undefined;
    this.opened = deferred();
    for (const listener of this.lostListeners) listener(reason);
    void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    for (let attempt = 1; !this.isClosed(); attempt++) {
      await this.pause(this.retryDelay(attempt));
      if (this.isClosed()) return;
      try {
        await this.open();
        for (const declaration of this.declarations.values()) await this.apply(declaration);
        for (const record of this.consumers) if (!record.cancelled) await this.startConsumer(record);
        if (this.directHandler) await this.startDirectReplies();
        this.markOpen();
        this.logger.info({ consumers: this.consumers.size }, `reconnected to ${this.description}`);
        for (const listener of this.reconnectedListeners) listener();
        return;
      } catch (error) {
        this.logger.warn({ attempt, reason: (error as Error).message }, `reconnecting to ${this.description} failed`);
        // Forgotten before it is closed: its 'close' must not start a second reconnection.
        const half = this.connection;
        this.connection = undefined;
        this.adminChannel = undefined;
        await half?.close().catch(() => undefined);
      }
    }
  }

  async directReplies(onDelivery: DeliveryHandler): Promise<DirectReplies> {
    if (this.directHandler) throw new Error('direct replies are already taken on this transport');
    this.directHandler = onDelivery;
    await this.ready();
    await this.startDirectReplies();
    const address = (): string | undefined => this.directAddress;
    return {
      get address() {
        return address();
      },
    };
  }

  /**
   * Consumes the direct reply-to pseudo-queue on a channel of its own and learns its address. The
   * broker tells the address only in the `reply_to` of a message that channel publishes, so it
   * sends itself one, through a queue of its own that lives a few milliseconds.
   */
  private async startDirectReplies(): Promise<void> {
    const channel = await this.connection!.createChannel();
    channel.on('error', () => undefined);
    try {
      await channel.consume(
        DIRECT_REPLY_TO,
        (message) => {
          if (message) this.directHandler!(toDelivery(channel, message, true));
        },
        { noAck: true },
      );
      const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
      channel.sendToQueue(queue, Buffer.alloc(0), { replyTo: DIRECT_REPLY_TO });
      let echoed: amqp.GetMessage | false = false;
      for (let attempt = 0; attempt < 100 && !echoed; attempt++) {
        echoed = await channel.get(queue, { noAck: true });
        if (!echoed) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await channel.deleteQueue(queue).catch(() => undefined);
      const address = echoed ? String(echoed.properties.replyTo ?? '') : '';
      if (!address.startsWith(`${DIRECT_REPLY_TO}.`)) throw new Error('the broker gave no direct reply-to address');
      this.directChannel = channel;
      this.directAddress = address;
    } catch (error) {
      // Replies then come through the reply queue, as they always can.
      this.logger.info({ reason: (error as Error).message }, 'no direct reply-to on this broker: replies come through the reply queue');
      await channel.close().catch(() => undefined);
    }
  }

  private async startConsumer(record: ConsumerRecord): Promise<void> {
    if (record.cancelled) return;
    const channel = await this.connection!.createChannel();
    channel.on('error', () => undefined);
    record.channel = channel;
    await channel.prefetch(record.prefetch);
    const { consumerTag } = await channel.consume(
      record.queue,
      (message) => {
        if (message) record.onDelivery(toDelivery(channel, message, record.noAck));
      },
      { noAck: record.noAck },
    );
    record.consumerTag = consumerTag;
  }

  private async declare(key: string, declaration: Declaration): Promise<void> {
    this.declarations.set(key, declaration);
    await this.ready();
    await this.apply(declaration);
  }

  private apply(declaration: Declaration): Promise<unknown> {
    switch (declaration.kind) {
      case 'exchange':
        return this.admin((ch) =>
          ch.assertExchange(declaration.name, 'topic', { durable: declaration.durable, autoDelete: declaration.autoDelete }),
        );
      case 'queue':
        return this.admin((ch) =>
          ch.assertQueue(declaration.name, {
            durable: declaration.options.durable ?? true,
            autoDelete: declaration.options.autoDelete ?? false,
            exclusive: declaration.options.exclusive ?? false,
            arguments: this.queueArguments(declaration.options),
          }),
        );
      case 'binding':
        return this.admin((ch) => ch.bindQueue(declaration.queue, declaration.exchange, declaration.pattern));
    }
  }

  /** A queue's arguments, with `x-queue-type: quorum` when asked and the queue can be one (durable, shared, lasting). */
  private queueArguments(options: QueueOptions): Record<string, unknown> | undefined {
    const lasting = (options.durable ?? true) && !(options.autoDelete ?? false) && !(options.exclusive ?? false);
    if (this.options.queueType !== 'quorum' || !lasting) return options.arguments;
    return { ...options.arguments, 'x-queue-type': 'quorum' };
  }

  private async admin<T>(operation: (channel: amqp.Channel) => Promise<T>): Promise<T> {
    if (!this.adminChannel) {
      const connection = this.connection;
      if (!connection) throw new Error(`not connected to ${this.description}`);
      const opening = connection.createChannel();
      this.adminChannel = opening;
      opening
        .then((ch) => {
          ch.on('error', () => undefined);
          ch.on('close', () => {
            if (this.adminChannel === opening) this.adminChannel = undefined;
          });
        })
        .catch(() => {
          if (this.adminChannel === opening) this.adminChannel = undefined;
        });
    }
    return operation(await this.adminChannel);
  }

  /** Resolves when the connection is open; rejects if the transport is closed first. */
  private ready(): Promise<void> {
    if (this.state === 'open') return Promise.resolve();
    if (this.state === 'new') return Promise.reject(new Error(`not connected to ${this.description}: call connect() first`));
    return this.opened.promise;
  }

  private markOpen(): void {
    this.state = 'open';
    this.opened.resolve();
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private retryDelay(attempt: number): number {
    const first = this.options.retryDelayMs ?? 250;
    const max = this.options.maxRetryDelayMs ?? 10_000;
    return Math.min(max, first * 2 ** (attempt - 1));
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeRetry = done;
    });
  }
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // nobody may be waiting when it is rejected
  return { promise, resolve, reject };
}

// amqplib copies the headers table of every publish; one shared empty table is far cheaper
// than a fresh `{}` each time, and it is never written to.
const NO_HEADERS = Object.freeze({});

/**
 * One object literal of fixed shape (amqplib skips undefined fields): an options object built
 * field by field or by spreading makes amqplib's publish path some thirty times slower.
 */
function toAmqpOptions(p: MessageProperties, mandatory: boolean): amqp.Options.Publish {
  return {
    contentType: p.contentType,
    contentEncoding: p.contentEncoding,
    deliveryMode: p.deliveryMode,
    priority: p.priority,
    correlationId: p.correlationId,
    replyTo: p.replyTo,
    messageId: p.messageId,
    headers: p.headers && hasKeys(p.headers) ? p.headers : NO_HEADERS,
    mandatory,
  };
}

function hasKeys(object: object): boolean {
  for (const _ in object) return true;
  return false;
}

function toDelivery(channel: amqp.Channel, message: amqp.ConsumeMessage, noAck = false): Delivery {
  const p = message.properties;
  const properties: MessageProperties = {
    contentType: p.contentType,
    contentEncoding: p.contentEncoding,
    deliveryMode: p.deliveryMode,
    priority: p.priority,
    correlationId: p.correlationId === undefined ? undefined : String(p.correlationId),
    replyTo: p.replyTo === undefined ? undefined : String(p.replyTo),
    messageId: p.messageId === undefined ? undefined : String(p.messageId),
    headers: (p.headers as Record<string, unknown> | undefined) ?? {},
  };
  return new AmqpDelivery(channel, message, properties, noAck);
}

/** A class, not closures: one is made per message, on the hot path. */
class AmqpDelivery implements Delivery {
  constructor(
    private readonly channel: amqp.Channel,
    private readonly message: amqp.ConsumeMessage,
    readonly properties: MessageProperties,
    /** Consumed without acks: nothing to settle (an ack would close the channel). */
    private settled = false,
  ) {}

  get body(): Buffer {
    return this.message.content;
  }

  get exchange(): string {
    return this.message.fields.exchange;
  }

  get routingKey(): string {
    return this.message.fields.routingKey;
  }

  get redelivered(): boolean {
    return this.message.fields.redelivered;
  }

  ack(): void {
    if (this.settled) return;
    this.settled = true;
    try {
      this.channel.ack(this.message);
    } catch {
      // The channel closed and took its unacknowledged messages back to the queue.
    }
  }

  nack(requeue: boolean): void {
    if (this.settled) return;
    this.settled = true;
    try {
      this.channel.nack(this.message, false, requeue);
    } catch {
      // As for ack: nothing is left to settle on a closed channel.
    }
  }
}

// The one rule for a URI's password lives with the other secrets' rules.
export { redactUri };
