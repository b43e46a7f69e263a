// A broker in memory, for unit tests and the embedded mode that needs no infrastructure.
// It keeps the AMQP semantics the framework relies on: topic routing, mandatory publishing,
// per-consumer prefetch, ack / nack with requeue, redelivery on close, round-robin consumers,
// and a queue's message TTL with dead-lettering of expired messages (x-message-ttl,
// x-dead-letter-exchange, x-dead-letter-routing-key), which delayed retries rely on.
import {
  type ConsumeOptions,
  type Consumer,
  type Delivery,
  type DeliveryHandler,
  type MessageProperties,
  type OutgoingMessage,
  type QueueOptions,
  type Transport,
  Unroutable,
  topicMatches,
} from './transport';

interface StoredMessage {
  body: Buffer;
  properties: MessageProperties;
  exchange: string;
  routingKey: string;
  redelivered: boolean;
}

interface MemoryConsumer {
  handler: DeliveryHandler;
  prefetch: number;
  noAck: boolean;
  unacked: Set<StoredMessage>;
  owner: MemoryTransport;
  active: boolean;
}

/**
 * One delivery of a message to a consumer. A class rather than an object of closures: the
 * in-memory broker delivers on every call of an embedded platform, and closures made per message
 * were a visible part of its cost.
 */
class MemoryDelivery implements Delivery {
  readonly body: Buffer;
  readonly properties: MessageProperties;
  readonly exchange: string;
  readonly routingKey: string;
  readonly redelivered: boolean;
  private settled = false;

  constructor(
    private readonly message: StoredMessage,
    private readonly consumer: MemoryConsumer,
    private readonly queue: MemoryQueue,
  ) {
    this.body = message.body;
    this.properties = message.properties;
    this.exchange = message.exchange;
    this.routingKey = message.routingKey;
    this.redelivered = message.redelivered;
  }

  ack(): void {
    if (!this.settled) this.settled = this.queue.settle(this.message, this.consumer);
  }

  nack(requeue: boolean): void {
    if (this.settled) return;
    this.settled = this.queue.settle(this.message, this.consumer);
    if (this.settled && requeue) this.queue.enqueue({ ...this.message, redelivered: true }, true);
  }
}

class MemoryQueue {
  readonly messages: StoredMessage[] = [];
  readonly consumers: MemoryConsumer[] = [];
  private next = 0;
  private scheduled = false;

  constructor(readonly name: string, readonly options: QueueOptions, private readonly broker: MemoryBroker) {}

  enqueue(message: StoredMessage, atHead = false): void {
    if (atHead) this.messages.unshift(message);
    else this.messages.push(message);
    this.expireLater(message);
    this.schedule();
  }

  /** As RabbitMQ does with x-message-ttl: a message still waiting when it expires is dead-lettered. */
  private expireLater(message: StoredMessage): void {
    const args = this.options.arguments ?? {};
    const ttl = args['x-message-ttl'];
    if (typeof ttl !== 'number') return;
    const timer = setTimeout(() => {
      const index = this.messages.indexOf(message);
      if (index < 0) return;
      this.messages.splice(index, 1);
      const exchange = args['x-dead-letter-exchange'];
      // RabbitMQ drops an expired message whose dead-letter exchange does not exist.
      if (typeof exchange !== 'string' || (exchange !== '' && !this.broker.exchanges.has(exchange))) return;
      const routingKey = String(args['x-dead-letter-routing-key'] ?? message.routingKey);
      for (const target of this.broker.route(exchange, routingKey)) {
        target.enqueue({ ...message, exchange, routingKey, redelivered: false });
      }
    }, ttl);
    // An in-memory broker must not keep the process alive for messages nobody will read.
    timer.unref();
  }

  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.messages.length > 0) {
      const consumer = this.pickConsumer();
      if (!consumer) return;
      const message = this.messages.shift()!;
      // Without acks the broker forgets the message as it sends it.
      if (!consumer.noAck) consumer.unacked.add(message);
      consumer.handler(this.deliveryFor(message, consumer));
    }
  }

  private pickConsumer(): MemoryConsumer | undefined {
    for (let i = 0; i < this.consumers.length; i++) {
      const consumer = this.consumers[(this.next + i) % this.consumers.length]!;
      if (consumer.active && (consumer.prefetch === 0 || consumer.unacked.size < consumer.prefetch)) {
        this.next = (this.next + i + 1) % this.consumers.length;
        return consumer;
      }
    }
    return undefined;
  }

  private deliveryFor(message: StoredMessage, consumer: MemoryConsumer): Delivery {
    return new MemoryDelivery(message, consumer, this);
  }

  /** @internal A delivery's settlement: false when it was settled already (or its consumer gave it back). */
  settle(message: StoredMessage, consumer: MemoryConsumer): boolean {
    if (!consumer.unacked.delete(message)) return false;
    this.schedule();
    return true;
  }

  /** basic.get: the next message, held unacknowledged as if by a consumer of `owner`'s. */
  take(owner: MemoryTransport): Delivery | null {
    const message = this.messages.shift();
    if (!message) return null;
    const holder: MemoryConsumer = { handler: () => undefined, prefetch: 0, noAck: false, unacked: new Set([message]), owner, active: false };
    return this.deliveryFor(message, holder);
  }

  removeConsumer(consumer: MemoryConsumer, requeueUnacked: boolean): void {
    consumer.active = false;
    const index = this.consumers.indexOf(consumer);
    if (index >= 0) this.consumers.splice(index, 1);
    if (requeueUnacked) {
      for (const message of [...consumer.unacked].reverse()) this.enqueue({ ...message, redelivered: true }, true);
      consumer.unacked.clear();
    }
    if (this.options.autoDelete && this.consumers.length === 0) this.broker.dropQueue(this.name);
  }
}

/** The shared state of one in-memory broker: every MemoryTransport on it sees the same queues. */
export class MemoryBroker {
  readonly exchanges = new Map<string, { bindings: { queue: string; pattern: string }[] }>();
  readonly queues = new Map<string, MemoryQueue>();
  /**
   * Where each exchange and routing key led, until a queue or binding changes: routing matched
   * every binding's pattern on every publish, a cost of each call that the bindings rarely change.
   */
  private readonly routes = new Map<string, Map<string, MemoryQueue[]>>();

  /** @internal Deletes a queue (its bindings stay until deleteQueue removes them, as before). */
  dropQueue(name: string): void {
    this.queues.delete(name);
    this.topologyChanged();
  }

  /** @internal Forgets the routes found: a queue or a binding came or went. */
  topologyChanged(): void {
    this.routes.clear();
  }

  private static readonly byName = new Map<string, MemoryBroker>();

  /** The broker for `memory://<name>`; one per name in the process. */
  static named(name: string): MemoryBroker {
    let broker = MemoryBroker.byName.get(name);
    if (!broker) {
      broker = new MemoryBroker();
      MemoryBroker.byName.set(name, broker);
    }
    return broker;
  }

  queue(name: string): MemoryQueue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`NOT_FOUND - no queue '${name}' in the memory broker`);
    return queue;
  }

  /** Messages waiting in a queue (not counting unacknowledged ones), for tests and tools. */
  messageCount(name: string): number {
    return this.queues.get(name)?.messages.length ?? 0;
  }

  route(exchange: string, routingKey: string): readonly MemoryQueue[] {
    if (exchange === '') {
      const direct = this.queues.get(routingKey);
      return direct ? [direct] : [];
    }
    const found = this.exchanges.get(exchange);
    if (!found) throw new Error(`NOT_FOUND - no exchange '${exchange}' in the memory broker`);
    let byKey = this.routes.get(exchange);
    if (!byKey) this.routes.set(exchange, (byKey = new Map()));
    let queues = byKey.get(routingKey);
    if (!queues) {
      const names = new Set(found.bindings.filter((b) => topicMatches(b.pattern, routingKey)).map((b) => b.queue));
      queues = [...names].map((name) => this.queues.get(name)).filter((q): q is MemoryQueue => q !== undefined);
      byKey.set(routingKey, queues);
    }
    return queues;
  }

  createQueue(name: string, options: QueueOptions): MemoryQueue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new MemoryQueue(name, options, this);
      this.queues.set(name, queue);
      this.topologyChanged();
    }
    return queue;
  }
}

/**
 * What a consumer gets is the message as it was published, whatever the publisher does with its
 * objects afterwards, as over a wire. Header values are strings, numbers, booleans and arrays of
 * them (the call-id stack), so one level of copying is that; inherited headers are read as an
 * encoder reads them (a client may keep its constant headers in a prototype).
 */
function copyProperties(properties: MessageProperties): MessageProperties {
  const copy: MessageProperties = { ...properties };
  if (properties.headers) {
    const headers: Record<string, unknown> = {};
    for (const key in properties.headers) {
      const value = properties.headers[key];
      headers[key] = Array.isArray(value) ? value.slice() : value !== null && typeof value === 'object' ? structuredClone(value) : value;
    }
    copy.headers = headers as MessageProperties['headers'];
  }
  return copy;
}

export class MemoryTransport implements Transport {
  readonly description: string;
  private readonly consumers = new Set<{ queue: MemoryQueue; consumer: MemoryConsumer }>();
  private open = false;

  constructor(readonly broker: MemoryBroker, name = 'memory') {
    this.description = `memory://${name}`;
  }

  get connected(): boolean {
    return this.open;
  }

  async connect(): Promise<void> {
    this.open = true;
  }

  /** An in-memory connection is never lost. */
  onConnectionLost(_listener: (error: Error) => void): void {}

  async close(): Promise<void> {
    this.open = false;
    for (const { queue, consumer } of this.consumers) queue.removeConsumer(consumer, true);
    this.consumers.clear();
  }

  async assertExchange(name: string, _options?: { durable: boolean; autoDelete?: boolean }): Promise<void> {
    this.ensureConnected();
    if (!this.broker.exchanges.has(name)) this.broker.exchanges.set(name, { bindings: [] });
  }

  async assertQueue(name: string, options: QueueOptions): Promise<void> {
    this.ensureConnected();
    this.broker.createQueue(name, options);
  }

  async bindQueue(queue: string, exchange: string, pattern: string): Promise<void> {
    this.ensureConnected();
    this.broker.queue(queue);
    const found = this.broker.exchanges.get(exchange);
    if (!found) throw new Error(`NOT_FOUND - no exchange '${exchange}' in the memory broker`);
    if (!found.bindings.some((b) => b.queue === queue && b.pattern === pattern)) found.bindings.push({ queue, pattern });
    this.broker.topologyChanged();
  }

  async deleteQueue(name: string): Promise<void> {
    this.ensureConnected();
    this.broker.dropQueue(name);
    for (const exchange of this.broker.exchanges.values()) {
      exchange.bindings = exchange.bindings.filter((b) => b.queue !== name);
    }
    this.broker.topologyChanged();
  }

  async publish(message: OutgoingMessage): Promise<void> {
    this.ensureConnected();
    const queues = this.broker.route(message.exchange, message.routingKey);
    // As on RabbitMQ, an unconfirmed message cannot be reported unroutable: it is dropped.
    if (queues.length === 0 && message.mandatory && !message.unconfirmed) throw new Unroutable(message.exchange, message.routingKey);
    for (const queue of queues) {
      queue.enqueue({
        body: Buffer.from(message.body),
        properties: copyProperties(message.properties),
        exchange: message.exchange,
        routingKey: message.routingKey,
        redelivered: false,
      });
    }
  }

  async consume(queueName: string, onDelivery: DeliveryHandler, options: ConsumeOptions): Promise<Consumer> {
    this.ensureConnected();
    const queue = this.broker.queue(queueName);
    const consumer: MemoryConsumer = {
      handler: onDelivery,
      prefetch: options.prefetch,
      noAck: options.noAck ?? false,
      unacked: new Set(),
      owner: this,
      active: true,
    };
    queue.consumers.push(consumer);
    const entry = { queue, consumer };
    this.consumers.add(entry);
    queue.schedule();
    return {
      cancel: async () => {
        consumer.active = false;
        const index = queue.consumers.indexOf(consumer);
        if (index >= 0) queue.consumers.splice(index, 1);
        if (queue.options.autoDelete && queue.consumers.length === 0 && consumer.unacked.size === 0) {
          this.broker.dropQueue(queueName);
        }
      },
    };
  }

  async get(queueName: string): Promise<Delivery | null> {
    this.ensureConnected();
    return this.broker.queue(queueName).take(this);
  }

  private ensureConnected(): void {
    if (!this.open) throw new Error('the memory transport is not connected');
  }
}
