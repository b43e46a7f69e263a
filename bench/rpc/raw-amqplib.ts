// The baselines: request/reply written directly on amqplib, with the guarantees shimeji gives
// (persistent messages, durable queues, publisher confirms on both sides, mandatory requests,
// the request acked only once its reply is confirmed, manual acks of replies, TCP_NODELAY).
// Bodies are Nameko-shaped JSON so both sides do the same serialization work.
//
// One code path, two kinds of message (`RawWire`):
// - `bare` (the headline baseline): the default exchange, only the properties the code needs.
// - `nameko`: the bytes shimeji puts on the wire. Requests and replies go through the
//   `nameko-rpc` topic exchange, with Nameko's properties and headers. What remains between it
//   and shimeji is the framework itself; what remains between it and `bare` is the protocol.
import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import type { EchoTarget } from './measure';
import type { Payload } from './payload';

const JSON_TYPE = 'application/json';
const UTF8 = 'utf-8';
const PERSISTENT = 2;
// Mirrors shimeji's reply queues, which outlive a dropped caller for 5 minutes.
const REPLY_QUEUE_EXPIRES_MS = 300_000;
const NAMEKO_EXCHANGE = 'nameko-rpc';
// What Nameko's standalone proxy puts at the bottom of every call id stack (shimeji does too).
const STANDALONE_CALLER = 'standalone_rpc_proxy';
// Replies carry an empty headers table, as shimeji's do: one shared object, never written to.
const NO_HEADERS = Object.freeze({});

/**
 * - `bare`: default exchange; requests `{persistent, mandatory, contentType, correlationId, replyTo}`,
 *   replies `{persistent, contentType, correlationId}`.
 * - `bare-topic`: the same messages, routed through `nameko-rpc` as shimeji's are.
 * - `nameko`: exactly what shimeji sends: `nameko-rpc` routing, Nameko's properties
 *   (content type and encoding, delivery mode 2, priority 0) and headers.
 */
export type RawWire = 'bare' | 'bare-topic' | 'nameko';

export interface RawEchoOptions {
  uri: string;
  runId: string;
  prefetch: number;
  wire: RawWire;
  /** Shown in reports and in the message of a failed check. */
  label: string;
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

function routeTo(queue: string, topicKey: string, topicPattern: string, wire: RawWire): Route {
  return wire === 'bare'
    ? { exchange: '', key: queue, pattern: queue }
    : { exchange: NAMEKO_EXCHANGE, key: topicKey, pattern: topicPattern };
}

class RawServer {
  private consumerTag?: string;

  private constructor(
    private readonly connection: amqp.ChannelModel,
    private readonly consumeChannel: amqp.Channel,
    private readonly replyChannel: amqp.ConfirmChannel,
    private readonly problems: string[],
    private readonly replyExchange: string,
    private readonly namekoMessages: boolean,
  ) {}

  static async start(options: RawEchoOptions, requestQueue: string, requestRoute: Route, problems: string[]): Promise<RawServer> {
    const connection = await openConnection(options.uri, 'bench raw echo server');
    try {
      const consumeChannel = await connection.createChannel();
      const replyChannel = await connection.createConfirmChannel();
      options.onQueue(requestQueue);
      await declareQueue(consumeChannel, requestQueue, requestRoute);
      await consumeChannel.prefetch(options.prefetch);
      const server = new RawServer(connection, consumeChannel, replyChannel, problems, requestRoute.exchange, options.wire === 'nameko');
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
    const body = Buffer.from(reply, 'utf8');
    const onConfirm = (error: unknown): void => {
      // Unconfirmed reply: give the request back so it is answered again, never lost.
      if (error) this.consumeChannel.nack(message, false, true);
      else this.consumeChannel.ack(message);
    };
    // One object literal per call site: amqplib's publish is far slower with options built any other way.
    if (this.namekoMessages) {
      this.replyChannel.publish(
        this.replyExchange,
        replyTo,
        body,
        { contentType: JSON_TYPE, contentEncoding: UTF8, deliveryMode: PERSISTENT, priority: 0, correlationId, headers: NO_HEADERS },
        onConfirm,
      );
    } else {
      this.replyChannel.publish(this.replyExchange, replyTo, body, { persistent: true, contentType: JSON_TYPE, correlationId }, onConfirm);
    }
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
    /** Nameko messages only: built once per client, as shimeji's standalone client does. */
    private readonly requestHeaders: Readonly<Record<string, unknown>> | undefined,
  ) {}

  get serverVersion(): string {
    return String(this.connection.connection.serverProperties.version ?? 'unknown');
  }

  static async start(options: RawEchoOptions, requestRoute: Route, replyQueue: string, replyRoute: Route, problems: string[]): Promise<RawClient> {
    const connection = await openConnection(options.uri, 'bench raw echo client');
    try {
      const requestHeaders =
        options.wire === 'nameko'
          ? Object.freeze({ 'nameko.call_id_stack': [`${STANDALONE_CALLER}.call.${randomUUID()}`] })
          : undefined;
      const client = new RawClient(connection, requestRoute, replyRoute.key, problems, requestHeaders);
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
      const { exchange, key } = this.requestRoute;
      const body = Buffer.from(JSON.stringify({ args: [payload], kwargs: {} }), 'utf8');
      const onConfirm = (error: unknown): void => {
        if (error) this.settle(correlationId, (call) => call.reject(new Error(`request not confirmed: ${String(error)}`)));
      };
      try {
        // One object literal per call site: amqplib's publish is far slower with options built any other way.
        if (this.requestHeaders) {
          this.publishChannel.publish(
            exchange,
            key,
            body,
            {
              contentType: JSON_TYPE,
              contentEncoding: UTF8,
              deliveryMode: PERSISTENT,
              priority: 0,
              correlationId,
              replyTo: this.replyTo,
              headers: this.requestHeaders,
              mandatory: true,
            },
            onConfirm,
          );
        } else {
          this.publishChannel.publish(
            exchange,
            key,
            body,
            { persistent: true, mandatory: true, contentType: JSON_TYPE, correlationId, replyTo: this.replyTo },
            onConfirm,
          );
        }
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
  // Names of their own per kind of message, so two baselines can run side by side.
  const kind = options.wire === 'nameko' ? 'rawnk' : 'raw';
  const requestQueue = `bench.rpc.${kind}-${options.runId}.requests`;
  const replyQueue = `bench.rpc.${kind}-${options.runId}.replies`;
  const service = `bench_${kind}_${options.runId}`;
  const requestRoute = routeTo(requestQueue, `${service}.echo`, `${service}.*`, options.wire);
  // Bound with the bare uuid, which is also the reply_to, as Nameko's reply queues are.
  const replyId = randomUUID();
  const replyRoute = routeTo(replyQueue, replyId, replyId, options.wire);
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
    label: options.label,
    serverVersion: client.serverVersion,
    problems,
    call: (payload) => client.call(payload),
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
