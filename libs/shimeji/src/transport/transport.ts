// One interface over a message broker, shaped after AMQP 0-9-1 so that RPC, events and
// dead-lettering are written once and run unchanged on RabbitMQ or in memory.

export type Headers = Record<string, unknown>;

export interface MessageProperties {
  contentType?: string;
  contentEncoding?: string;
  deliveryMode?: number;
  priority?: number;
  correlationId?: string;
  replyTo?: string;
  messageId?: string;
  headers?: Headers;
}

export interface OutgoingMessage {
  exchange: string;
  routingKey: string;
  body: Buffer;
  properties: MessageProperties;
  /** Fail with `Unroutable` when no queue is bound for the routing key. */
  mandatory?: boolean;
  /**
   * Publish without a publisher confirm: `publish` resolves once the message is written to the
   * connection, not once the broker holds it. Only for messages whose loss costs no more than a
   * timeout somewhere else (RPC replies: their one reader is a caller waiting now). A mandatory
   * unconfirmed message that no queue takes is logged, not reported: nobody is left to tell.
   */
  unconfirmed?: boolean;
}

export interface Delivery {
  readonly body: Buffer;
  readonly properties: MessageProperties;
  readonly exchange: string;
  readonly routingKey: string;
  readonly redelivered: boolean;
  ack(): void;
  /** Give the message back to the broker (`requeue`) or drop it. */
  nack(requeue: boolean): void;
}

export interface QueueOptions {
  durable?: boolean;
  autoDelete?: boolean;
  exclusive?: boolean;
  arguments?: Record<string, unknown>;
}

export interface ConsumeOptions {
  /** How many unacknowledged messages this consumer holds at once; 0 = no limit. */
  prefetch: number;
  /**
   * The broker forgets a message once it has sent it (ack and nack do nothing): for RPC replies,
   * whose only reader is the caller waiting now, and whose loss is that call's timeout either way.
   */
  noAck?: boolean;
}

export interface Consumer {
  /** Stop receiving; messages already delivered can still be acknowledged. */
  cancel(): Promise<void>;
}

export type DeliveryHandler = (delivery: Delivery) => void;

export interface Transport {
  /** The URI with any password hidden, for logs. */
  readonly description: string;
  /**
   * Whether the connection is open now: false before `connect()`, while a lost connection is
   * being restored, and after `close()`. Cheap to read, for readiness checks.
   */
  readonly connected: boolean;
  /** Calls `listener` each time a lost connection is made again (not the first connect); returns a function that stops it. */
  onReconnected?(listener: () => void): () => void;
  connect(): Promise<void>;
  /** Close the connection; unacknowledged messages go back to their queues. */
  close(): Promise<void>;
  assertExchange(name: string, options: { durable: boolean; autoDelete?: boolean }): Promise<void>;
  assertQueue(name: string, options: QueueOptions): Promise<void>;
  bindQueue(queue: string, exchange: string, pattern: string): Promise<void>;
  deleteQueue(name: string): Promise<void>;
  /** Resolves once the broker has taken the message (publisher confirm), or once written if `unconfirmed`. */
  publish(message: OutgoingMessage): Promise<void>;
  consume(queue: string, onDelivery: DeliveryHandler, options: ConsumeOptions): Promise<Consumer>;
  /** Takes one message off a queue, if there is one (basic.get); it must be acked or nacked. */
  get(queue: string): Promise<Delivery | null>;
  /** Called when the connection drops without `close()` having been asked for. */
  onConnectionLost(listener: (error: Error) => void): void;
  /**
   * RabbitMQ's direct reply-to, where the transport has it (not in memory): `onDelivery` gets,
   * without acks, whatever is published to the returned `address` on the default exchange,
   * straight from the broker, never queued. The address changes when a lost connection is made
   * again, and is undefined meanwhile: read it for each request.
   */
  directReplies?(onDelivery: DeliveryHandler): Promise<DirectReplies>;
}

/** Where replies reach this connection directly (`amq.rabbitmq.reply-to.…`), while it lasts. */
export interface DirectReplies {
  readonly address: string | undefined;
}

/** A mandatory message that no queue was bound to receive. */
export class Unroutable extends Error {
  constructor(readonly exchange: string, readonly routingKey: string) {
    super(`no queue is bound to ${exchange} for ${routingKey}`);
    this.name = 'Unroutable';
  }
}

/** AMQP topic matching: `*` is exactly one word, `#` zero or more. */
export function topicMatches(pattern: string, routingKey: string): boolean {
  const p = pattern.split('.');
  const k = routingKey.split('.');
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return j === k.length;
    if (p[i] === '#') {
      for (let skip = j; skip <= k.length; skip++) if (match(i + 1, skip)) return true;
      return false;
    }
    if (j === k.length) return false;
    return (p[i] === '*' || p[i] === k[j]) && match(i + 1, j + 1);
  };
  return match(0, 0);
}
