// Plays the Nameko side of the wire with plain amqplib: declares queues and exchanges as Nameko
// does, publishes captured bytes and collects what our code sends. Nothing here comes from src/,
// so the tests compare our wire format with the capture, not with itself.
import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { testBrokerUri } from '../../src/testing';
import { type CapturedMessage, publishOptions } from './fixtures';

export const NAMEKO_RPC = 'nameko-rpc';
/** Nameko's exchange for a service's events (nameko.standalone.events.get_event_exchange). */
export const eventsExchange = (service: string): string => `${service}.events`;
const REPLY_QUEUE_EXPIRES_MS = 300_000;
const WAIT_MS = 5000;

/** A unique service name, so parallel test files never share a queue. */
export const uniqueName = (base: string): string => `${base}_${randomUUID().slice(0, 8)}`;

/** Messages arriving on one queue, taken in order. */
export class Inbox {
  private readonly arrived: amqp.ConsumeMessage[] = [];
  private readonly waiting: ((message: amqp.ConsumeMessage) => void)[] = [];

  constructor(readonly queue: string) {}

  push(message: amqp.ConsumeMessage): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter(message);
    else this.arrived.push(message);
  }

  next(timeoutMs = WAIT_MS): Promise<amqp.ConsumeMessage> {
    const ready = this.arrived.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(take), 1);
        reject(new Error(`no message on ${this.queue} within ${timeoutMs} ms`));
      }, timeoutMs);
      const take = (message: amqp.ConsumeMessage): void => {
        clearTimeout(timer);
        resolve(message);
      };
      this.waiting.push(take);
    });
  }

  async take(count: number): Promise<amqp.ConsumeMessage[]> {
    const taken: amqp.ConsumeMessage[] = [];
    while (taken.length < count) taken.push(await this.next());
    return taken;
  }
}

export interface QueueFlags {
  durable: boolean;
  exclusive: boolean;
  autoDelete: boolean;
  arguments: Record<string, unknown>;
}

/** A queue of topology.json in amqplib's form: `[["x-expires", "signedint", 300000]]` → `{x-expires: 300000}`. */
export function queueFlags(queue: { durable: boolean; exclusive: boolean; auto_delete: boolean; arguments: unknown[][] }): QueueFlags {
  return {
    durable: queue.durable,
    exclusive: queue.exclusive,
    autoDelete: queue.auto_delete,
    arguments: Object.fromEntries(queue.arguments.map(([key, , value]) => [key as string, value])),
  };
}

export class NamekoPeer {
  private readonly declared: string[] = [];
  private readonly exchanges: string[] = [];

  private constructor(private readonly connection: amqp.ChannelModel, private readonly channel: amqp.ConfirmChannel) {}

  static async connect(): Promise<NamekoPeer> {
    const url = new URL(testBrokerUri());
    url.searchParams.set('heartbeat', '5');
    const connection = await amqp.connect(url.toString());
    const channel = await connection.createConfirmChannel();
    await channel.assertExchange(NAMEKO_RPC, 'topic', { durable: true });
    return new NamekoPeer(connection, channel);
  }

  /** Nameko's reply queue `rpc.reply-<caller>-<uuid>`, bound with the bare uuid, which is the reply_to. */
  async replyQueue(caller = 'standalone_rpc_proxy'): Promise<Inbox & { replyTo: string }> {
    const replyTo = randomUUID();
    const queue = `rpc.reply-${caller}-${replyTo}`;
    await this.declare(queue, { durable: true, arguments: { 'x-expires': REPLY_QUEUE_EXPIRES_MS } }, replyTo);
    return Object.assign(await this.consume(queue), { replyTo });
  }

  /** The queue a Nameko service consumes: `rpc-<service>`, bound with `<service>.*`. */
  async serviceQueue(service: string): Promise<Inbox> {
    const queue = `rpc-${service}`;
    await this.declare(queue, { durable: true }, `${service}.*`);
    return this.consume(queue);
  }

  /** A copy of every message published to nameko-rpc with this routing key. */
  async sniff(routingKey: string): Promise<Inbox> {
    const queue = `wire-sniffer-${randomUUID()}`;
    await this.declare(queue, { durable: false, exclusive: true, autoDelete: true }, routingKey);
    return this.consume(queue);
  }

  /**
   * A copy of every event `service` dispatches: its events exchange, declared first as Nameko
   * declares it (durable topic, so an existing one must be equal), and a queue bound with `#`.
   */
  async sniffEvents(service: string): Promise<Inbox> {
    const exchange = eventsExchange(service);
    await this.channel.assertExchange(exchange, 'topic', { durable: true, autoDelete: false });
    this.deleteExchangesOnClose(exchange);
    const queue = `wire-sniffer-${randomUUID()}`;
    await this.declare(queue, { durable: false, exclusive: true, autoDelete: true }, '#', exchange);
    return this.consume(queue);
  }

  /** Publishes a captured message's exact bytes, properties and headers (publisher-confirmed). */
  publishCaptured(message: CapturedMessage, routingKey: string, overrides: amqp.Options.Publish = {}): Promise<void> {
    return this.publish(routingKey, message.body_raw, publishOptions(message, overrides));
  }

  /** Publishes a captured event as if `source` had dispatched it: to `<source>.events`, keyed by its event type. */
  publishCapturedEvent(message: CapturedMessage, source: string): Promise<void> {
    return this.publish(message.routing_key, message.body_raw, publishOptions(message), eventsExchange(source));
  }

  /** Answers a request as Nameko's Responder does, with a captured reply's bytes and properties. */
  reply(request: amqp.Message, reply: CapturedMessage, bodyRaw = reply.body_raw): Promise<void> {
    const options = publishOptions(reply, { correlationId: request.properties.correlationId, headers: {} });
    return this.publish(String(request.properties.replyTo), bodyRaw, options);
  }

  /** Declares a queue that must already exist with exactly these flags, on a channel of its own. */
  async declareExisting(queue: string, flags: QueueFlags): Promise<amqp.Replies.AssertQueue> {
    return this.onOwnChannel((channel) => declareExistingOn(channel, queue, flags));
  }

  /** A passive declaration only: whether this connection may use the queue as it stands. */
  async checkQueue(queue: string): Promise<amqp.Replies.AssertQueue> {
    return this.onOwnChannel((channel) => channel.checkQueue(queue));
  }

  async declareExchange(name: string, type: string, options: amqp.Options.AssertExchange): Promise<void> {
    await this.onOwnChannel((channel) => channel.assertExchange(name, type, options));
  }

  /** Also deletes these queues when it closes: the durable `rpc-<service>` queues our services leave. */
  deleteOnClose(...queues: string[]): void {
    this.declared.push(...queues);
  }

  /** Also deletes these exchanges when it closes: the durable `<service>.events` our services leave. */
  deleteExchangesOnClose(...exchanges: string[]): void {
    this.exchanges.push(...exchanges.filter((name) => !this.exchanges.includes(name)));
  }

  /** Deletes the queues and exchanges it declared (or was given) and closes the connection. */
  async close(): Promise<void> {
    for (const queue of this.declared.splice(0)) await this.channel.deleteQueue(queue).catch(() => undefined);
    for (const exchange of this.exchanges.splice(0)) await this.channel.deleteExchange(exchange).catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }

  private async declare(queue: string, options: amqp.Options.AssertQueue, bindingKey: string, exchange = NAMEKO_RPC): Promise<void> {
    await this.channel.assertQueue(queue, options);
    this.declared.push(queue);
    await this.channel.bindQueue(queue, exchange, bindingKey);
  }

  private async consume(queue: string): Promise<Inbox> {
    const inbox = new Inbox(queue);
    await this.channel.consume(queue, (message) => message && inbox.push(message), { noAck: true });
    return inbox;
  }

  private publish(routingKey: string, bodyRaw: string, options: amqp.Options.Publish, exchange = NAMEKO_RPC): Promise<void> {
    return new Promise((resolve, reject) => {
      this.channel.publish(exchange, routingKey, Buffer.from(bodyRaw, 'utf8'), options, (error: unknown) =>
        error ? reject(error) : resolve(),
      );
    });
  }

  /** A failed declaration closes its channel: each one gets a channel of its own. */
  private async onOwnChannel<T>(operation: (channel: amqp.Channel) => Promise<T>): Promise<T> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      return await operation(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }
}

/**
 * Declares a queue that must already exist with exactly these flags, on the given channel: a
 * passive declaration first, since declaring a missing queue would create it and prove nothing.
 */
export async function declareExistingOn(channel: amqp.Channel, queue: string, flags: QueueFlags): Promise<amqp.Replies.AssertQueue> {
  await channel.checkQueue(queue);
  return channel.assertQueue(queue, flags);
}

/** Makes Nameko peers for a describe block and closes them after each test. */
export function namekoPeers(): () => Promise<NamekoPeer> {
  const made: NamekoPeer[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((peer) => peer.close()));
  });
  return async () => {
    const peer = await NamekoPeer.connect();
    made.push(peer);
    return peer;
  };
}
