// The baseline: request/reply written directly on amqplib, with the guarantees shimeji gives
// (persistent messages, durable queues, publisher confirms on both sides, mandatory requests,
// the request acked only once its reply is confirmed, manual acks of replies, TCP_NODELAY).
// Bodies are Nameko-shaped JSON so both sides do the same serialization work; what remains
// between the two is the framework itself.
import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import type { EchoTarget } from './measure';
import type { Payload } from './payload';

const JSON_TYPE = 'application/json';
// Mirrors shimeji's reply queues, which outlive a dropped caller for 5 minutes.
const REPLY_QUEUE_EXPIRES_MS = 300_000;
const NAMEKO_EXCHANGE = 'nameko-rpc';

export interface RawEchoOptions {
  uri: string;
  runId: string;
  prefetch: number;
  routing: 'default' | 'topic';
  /** Called with each queue before it is declared, so cleanup knows it even if setup fails half way. */
  onQueue(name: string): void;
}

export interface RawEcho extends EchoTarget {
  readonly serverVersion: string;
  /** Problems the server or client saw that did not fail a call directly (e.g. stray replies). */
  readonly problems: string[];
  close(): Promise<void>;
}

interface Route {
  exchange: string;
  /** What a publisher uses as routing key to reach the queue. */
  key: string;
  /** What the queue is bound with; a wildcard like Nameko's `<service>.*` for requests. */
  pattern: string;
}

async function openConnection(uri: string, name: string): Promise<amqp.ChannelModel> {
  const connection = await amqp.connect(uri, { noDelay: true, clientProperties: { connection_name: name } });
  connection.on('error', () => undefined); // 'close' follows; problems surface as failed calls
  return connection;
}

async function declareQueue(channel: amqp.Channel, queue: string, route: Route, args?: Record<string, unknown>): Promise<void> {
  await channel.assertQueue(queue, { durable: true, autoDelete: false, exclusive: false, arguments: args });
  if (route.exchange !== '') {
    await channel.assertExchange(route.exchange, 'topic', { durable: true, autoDelete: false });
    await channel.bindQueue(queue, route.exchange, route.pattern);
  }
}

function routeTo(queue: string, topicKey: string, topicPattern: string, routing: RawEchoOptions['routing']): Route {
  return routing === 'topic'
    ? { exchange: NAMEKO_EXCHANGE, key: topicKey, pattern: topicPattern }
    : { exchange: '', key: queue, pattern: queue };
}

class RawServer {
  private consumerTag?: string;

  private constructor(
    private readonly connection: amqp.ChannelModel,
    private readonly consumeChannel: amqp.Channel,
    private readonly replyChannel: amqp.ConfirmChannel,
    private readonly problems: string[],
    private readonly replyExchange: string,
  ) {}

  static async start(options: RawEchoOptions, requestQueue: string, requestRoute: Route, problems: string[]): Promise<RawServer> {
    const connection = await openConnection(options.uri, 'bench raw echo server');
    try {
      const consumeChannel = await connection.createChannel();
      const replyChannel = await connection.createConfirmChannel();
      options.onQueue(requestQueue);
      await declareQueue(consumeChannel, requestQueue, requestRoute);
      await consumeChannel.prefetch(options.prefetch);
      const server = new RawServer(connection, consumeChannel, replyChannel, problems, requestRoute.exchange);
      const { consumerTag } = await consumeChannel.consume(requestQueue, (message) => message && server.handle(message), {
        noAck: false,
      });
      server.consumerTag = consumerTag;
      return server;
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  private handle(message: amqp.ConsumeMessage): void {
    const { replyTo, correlationId } = message.properties as { replyTo?: string; correlationId?: string };
    if (!replyTo) {
      this.problems.push('server: request without reply_to');
      this.consumeChannel.nack(message, false, false);
      return;
    }
    let reply: string;
    try {
      const request = JSON.parse(message.content.toString('utf8')) as { args: unknown[]; kwargs: Record<string, unknown> };
      reply = JSON.stringify({ result: request.args[0] ?? null, error: null });
    } catch (error) {
      reply = JSON.stringify({ result: null, error: { exc_type: 'MalformedRequest', value: String(error) } });
    }
    this.replyChannel.publish(
      this.replyExchange,
      replyTo,
      Buffer.from(reply, 'utf8'),
      { persistent: true, contentType: JSON_TYPE, correlationId },
      (error: unknown) => {
        // Unconfirmed reply: give the request back so it is answered again, never lost.
        if (error) this.consumeChannel.nack(message, false, true);
        else this.consumeChannel.ack(message);
      },
    );
  }

  /**
   * Graceful, as shimeji's container stop is: answered requests must be acked before we go, or
   * they return to the queue. Channels are closed one by one because a connection close can
   * overtake acks still waiting in amqplib's per-channel write buffers.
   */
  async close(): Promise<void> {
    if (this.consumerTag) await this.consumeChannel.cancel(this.consumerTag).catch(() => undefined);
    await this.replyChannel.waitForConfirms().catch(() => undefined);
    await this.consumeChannel.close().catch(() => undefined);
    await this.replyChannel.close().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

class RawClient {
  private readonly pending = new Map<string, Pending>();
  private publishChannel!: amqp.ConfirmChannel;
  private replyChannel?: amqp.Channel;

  private constructor(
    private readonly connection: amqp.ChannelModel,
    private readonly requestRoute: Route,
    private readonly replyTo: string,
    private readonly problems: string[],
  ) {}

  get serverVersion(): string {
    return String(this.connection.connection.serverProperties.version ?? 'unknown');
  }

  static async start(options: RawEchoOptions, requestRoute: Route, replyQueue: string, replyRoute: Route, problems: string[]): Promise<RawClient> {
    const connection = await openConnection(options.uri, 'bench raw echo client');
    try {
      const client = new RawClient(connection, requestRoute, replyRoute.key, problems);
      const publishChannel = await connection.createConfirmChannel();
      // A mandatory request nobody could route comes back here before its confirm.
      publishChannel.on('return', (message: amqp.Message) => {
        client.settle(String(message.properties.correlationId), (call) => call.reject(new Error('request was unroutable')));
      });
      client.publishChannel = publishChannel;
      const replyChannel = await connection.createChannel();
      client.replyChannel = replyChannel;
      options.onQueue(replyQueue);
      await declareQueue(replyChannel, replyQueue, replyRoute, { 'x-expires': REPLY_QUEUE_EXPIRES_MS });
      await replyChannel.consume(
        replyQueue,
        (message) => {
          if (!message) return;
          replyChannel.ack(message);
          client.onReply(message);
        },
        { noAck: false },
      );
      connection.on('close', () => client.failAll(new Error('client connection closed')));
      return client;
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  call(payload: Payload): Promise<unknown> {
    const correlationId = randomUUID();
    return new Promise((resolve, reject) => {
      this.pending.set(correlationId, { resolve, reject });
      try {
        this.publishChannel.publish(
          this.requestRoute.exchange,
          this.requestRoute.key,
          Buffer.from(JSON.stringify({ args: [payload], kwargs: {} }), 'utf8'),
          { persistent: true, mandatory: true, contentType: JSON_TYPE, correlationId, replyTo: this.replyTo },
          (error: unknown) => {
            if (error) this.settle(correlationId, (call) => call.reject(new Error(`request not confirmed: ${String(error)}`)));
          },
        );
      } catch (error) {
        this.settle(correlationId, (call) => call.reject(error as Error));
      }
    });
  }

  private onReply(message: amqp.ConsumeMessage): void {
    const correlationId = String(message.properties.correlationId);
    if (!this.pending.has(correlationId)) {
      this.problems.push(`client: reply for unknown call ${correlationId}`);
      return;
    }
    this.settle(correlationId, (call) => {
      try {
        const body = JSON.parse(message.content.toString('utf8')) as { result?: unknown; error?: unknown };
        if (body.error !== null && body.error !== undefined) call.reject(new Error(`remote error: ${JSON.stringify(body.error)}`));
        else call.resolve(body.result ?? null);
      } catch {
        call.reject(new Error('reply is not valid JSON'));
      }
    });
  }

  private settle(correlationId: string, fn: (call: Pending) => void): void {
    const call = this.pending.get(correlationId);
    if (!call) return;
    this.pending.delete(correlationId);
    fn(call);
  }

  private failAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.settle(id, (call) => call.reject(error));
  }

  /** Channel by channel, so the acks of the last replies reach the broker before we leave. */
  async close(): Promise<void> {
    await this.replyChannel?.close().catch(() => undefined);
    await this.publishChannel.close().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }
}

export async function startRawEcho(options: RawEchoOptions): Promise<RawEcho> {
  const requestQueue = `bench.rpc.raw-${options.runId}.requests`;
  const replyQueue = `bench.rpc.raw-${options.runId}.replies`;
  const service = `bench_raw_${options.runId}`;
  const requestRoute = routeTo(requestQueue, `${service}.echo`, `${service}.*`, options.routing);
  const replyId = randomUUID();
  const replyRoute = routeTo(replyQueue, replyId, replyId, options.routing);
  const problems: string[] = [];
  const server = await RawServer.start(options, requestQueue, requestRoute, problems);
  let client: RawClient;
  try {
    client = await RawClient.start(options, requestRoute, replyQueue, replyRoute, problems);
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    label: 'raw amqplib',
    serverVersion: client.serverVersion,
    problems,
    call: (payload) => client.call(payload),
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
