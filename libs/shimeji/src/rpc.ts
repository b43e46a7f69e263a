// The server side of RPC: `@rpc` methods, served from the queue `rpc-<service>` bound to
// `nameko-rpc` with `<service>.*`, exactly as Nameko declares it, so Nameko callers reach us.
import { DIRECT_REPLY_HEADER, RPC_EXCHANGE, rpcBindingKey, rpcQueueName } from './constants';
import { ContainerStopping, MethodNotFound, serializeError, type WireError } from './exceptions';
import { Entrypoint, type EntrypointOptions, SharedExtension } from './extensions';
import type { Logger } from './logger';
import { bindArguments, type Parameter, readParameters } from './parameters';
import { QueueConsumer } from './queue-consumer';
import { entrypointDecorator } from './service-definition';
import type { Delivery } from './transport/transport';
import { type ContextData, contextFromHeaders } from './worker-context';
import { accessConfigured, verifierFromConfig } from './access-keys';
import { AccessRule } from './access-rules';
import { AUTH_TOKEN_KEY, type Identity, type TokenVerifier } from './access-tokens';
import { PERSISTENT } from './constants';
import { decodeJson, encodeJson, jsonProperties, parseRequestBody, replyProperties, type RpcReplyBody, TRANSIENT } from './wire';

/**
 * How a reply goes out. Requests are always persistent, confirmed, and acked only after their
 * reply was written; these levers are about the reply alone, measured in
 * bench/rpc/reply-levers.ts (results in bench/rpc/last-run-reply-levers.md).
 */
export interface ReplyLevers {
  /**
   * delivery_mode 1 instead of 2. A reply's only reader is a caller waiting now: writing the reply
   * to disk helps only a caller that reconnects after a broker restart within its timeout.
   */
  transient: boolean;
  /**
   * Wait for the broker's publisher confirm before acking the request. Without it the request is
   * acked as soon as the reply is written to the connection. If this process dies after that ack
   * but before the broker has the reply, the caller times out: the outcome it gets today when the
   * reply is persisted but its caller is gone, and the one it gets from any lost reply.
   */
  waitForConfirm: boolean;
  /** Properties as one literal with shared empty headers, instead of jsonProperties' spread. */
  literalProperties: boolean;
}

/**
 * Transient replies, confirm still awaited (bench/rpc/last-run-reply-levers.md, four runs).
 * Transient alone: 1.13–1.22× the calls/s at 50 in flight and 0.73–0.84× the broker CPU per
 * call, in every run. Dropping the confirm wait on top gained no calls/s or latency beyond the
 * noise (against transient alone: 0.91 one at a time, 1.02 at 50 in flight in the closest
 * comparison), only ~5–8% of this process's CPU per call; it stays off, since it also opens the
 * window in which an acked request's reply can be lost with the process. Literal properties
 * gained nothing steady either.
 */
export const DEFAULT_REPLY_LEVERS: Readonly<ReplyLevers> = Object.freeze({
  transient: true,
  waitForConfirm: true,
  literalProperties: false,
});

/** Consumes the service's RPC queue and routes each request to its `@rpc` method. */
export class RpcConsumer extends SharedExtension {
  private readonly byMethod = new Map<string, RpcEntrypoint>();
  /** Remembers the replies it sent, so a request redelivered after a lost ack is answered again, not run again. */
  private readonly consumer = new QueueConsumer<RpcReplyBody>(this, (delivery) => this.handle(delivery));
  /** Not configuration: a constant, replaceable only so that the benchmark can measure each lever. */
  replyLevers: Readonly<ReplyLevers> = DEFAULT_REPLY_LEVERS;
  /** Checks every call's access token; unset when the service checks none (no rules, no keys). */
  private verifier?: TokenVerifier;

  get queue(): string {
    return rpcQueueName(this.container.serviceName);
  }

  register(entrypoint: RpcEntrypoint): void {
    this.byMethod.set(entrypoint.methodName, entrypoint);
  }

  /**
   * Stops consuming and waits until every message already received is settled: answered and
   * acknowledged, or handed back to the queue. Methods stay routable meanwhile, so a request
   * delivered just before the cancel is served, never answered with MethodNotFound.
   */
  async drain(): Promise<void> {
    await this.consumer.drain();
  }

  override async setup(): Promise<void> {
    const { transport, serviceName, config } = this.container;
    const entrypoints = [...this.byMethod.values()];
    if (entrypoints.some((e) => e.access) || accessConfigured(config)) {
      const open = entrypoints.filter((e) => !e.access).map((e) => e.methodName);
      if (open.length > 0) {
        throw new Error(`${serviceName} checks access tokens, so every @rpc declares who may call it: ${open.join(', ')} declare no allow rule`);
      }
      this.verifier = await verifierFromConfig(config, serviceName);
    }
    await transport.assertExchange(RPC_EXCHANGE, { durable: true });
    await transport.assertQueue(this.queue, { durable: true });
    await transport.bindQueue(this.queue, RPC_EXCHANGE, rpcBindingKey(serviceName));
  }

  override async start(): Promise<void> {
    if (this.byMethod.size === 0) return;
    await this.consumer.start(this.queue);
  }

  override async stop(): Promise<void> {
    await this.drain();
  }

  override async kill(): Promise<void> {
    await this.consumer.cancel();
  }

  private async handle(delivery: Delivery): Promise<void> {
    const { logger, serviceName } = this.container;
    const replyTo = delivery.properties.replyTo;
    const method = delivery.routingKey.slice(serviceName.length + 1);
    const log = new DeliveryLog(logger, delivery);
    if (!replyTo) {
      // Nameko's container dies on this message and every instance after it does too.
      log.error('RPC request without reply_to: dead-lettered');
      await this.consumer.deadLetter(this.queue, delivery, 'RPC request has no reply_to');
      return;
    }
    let body: unknown;
    try {
      body = decodeJson(delivery.body, delivery.properties);
    } catch (error) {
      log.error({ err: error }, 'undecodable RPC request: answered with MalformedRequest and dead-lettered');
      await this.reply(delivery, replyTo, { result: null, error: serializeError(error, serviceName) }, false);
      await this.consumer.deadLetter(this.queue, delivery, (error as Error).message);
      return;
    }
    const entrypoint = this.byMethod.get(method);
    if (!entrypoint) {
      log.warn(`no @rpc method ${method}`);
      await this.reply(delivery, replyTo, errorBody(new MethodNotFound(method), serviceName));
      return;
    }
    let args: unknown[];
    const context = contextFromHeaders(delivery.properties.headers);
    let identity: Identity | undefined;
    try {
      const request = parseRequestBody(body);
      // Who calls is checked before what they send: a stranger learns nothing of the method's signature.
      if (this.verifier) identity = await this.verifier.verify(context.data[AUTH_TOKEN_KEY]);
      args = bindArguments(method, entrypoint.parameters, request.args, request.kwargs);
      // The rule may name an argument (self, actor): checked on the bound arguments.
      if (identity) entrypoint.access!.check(identity, args);
      // Declared arguments are checked here, before any worker or dependency runs for the call.
      const declared = entrypoint.options.args;
      if (declared) args = declared.parse(args);
    } catch (error) {
      log.warn({ err: error }, 'RPC request rejected');
      await this.reply(delivery, replyTo, errorBody(error, serviceName));
      return;
    }
    // Answered here before the connection dropped and its ack was lost: answer again, do not run it twice.
    await this.consumer.once(
      delivery.properties.correlationId,
      delivery.redelivered,
      () => this.run(entrypoint, args, delivery, replyTo, log, context, identity),
      (earlier) => this.reply(delivery, replyTo, earlier),
    );
  }

  /** Runs the worker and sends its reply; resolves to the reply sent, or undefined if the request went back to the queue. */
  private async run(
    entrypoint: RpcEntrypoint,
    args: unknown[],
    delivery: Delivery,
    replyTo: string,
    log: DeliveryLog,
    { data, callIdStack }: { data: ContextData; callIdStack: string[] },
    identity: Identity | undefined,
  ): Promise<RpcReplyBody | undefined> {
    let sent: RpcReplyBody | undefined;
    try {
      await this.container.spawnWorker(entrypoint, args, {
        data,
        identity,
        parentCallIdStack: callIdStack,
        message: { correlationId: delivery.properties.correlationId, redelivered: delivery.redelivered },
        handleResult: this.replier(delivery, replyTo, (reply) => (sent = reply)),
      });
    } catch (error) {
      if (!(error instanceof ContainerStopping)) log.error({ err: error }, 'RPC request could not be answered; it returns to the queue');
      delivery.nack(true);
    }
    return sent;
  }

  /**
   * What answers the worker's result. Made here, not inline in `run`: a closure written as an
   * object's property is named at run time by the TypeScript loader (tsx), once per call.
   */
  private replier(delivery: Delivery, replyTo: string, onSent: (reply: RpcReplyBody) => void): (outcome: { result: unknown; error: unknown }) => Promise<void> {
    return async ({ result, error }) => {
      const reply: RpcReplyBody =
        error === undefined ? { result: result ?? null, error: null } : { result: null, error: serializeError(error, this.container.serviceName) };
      await this.reply(delivery, replyTo, reply);
      onSent(reply);
    };
  }

  /**
   * Publishes the reply and only then acknowledges the request, so no answered call is run again:
   * after the broker's confirm, or (`waitForConfirm` off) once the reply is written to the connection.
   */
  private async reply(delivery: Delivery, replyTo: string, reply: RpcReplyBody, ack = true): Promise<void> {
    let body: Buffer;
    try {
      body = encodeJson(reply);
    } catch (error) {
      body = encodeJson({ result: null, error: serializeError(error, this.container.serviceName) });
    }
    const correlationId = delivery.properties.correlationId;
    const levers = this.replyLevers;
    const deliveryMode = levers.transient ? TRANSIENT : PERSISTENT;
    const direct = correlationId === undefined ? undefined : directReplyAddress(delivery.properties.headers);
    if (direct !== undefined) {
      // Not mandatory: RabbitMQ returns a mandatory message to a direct reply-to address even when
      // it delivers it, so a return says nothing. A caller gone meanwhile loses the reply, which
      // is its call's timeout, as for any reply to a caller that is gone. Nor confirmed: the broker
      // keeps a direct reply nowhere, so a confirm would only say it arrived; the request's ack
      // follows it on the same connection, and a connection lost before both arrive redelivers
      // the request, which this instance answers again from its recent outcomes.
      try {
        await this.container.transport.publish({
          exchange: '',
          routingKey: direct,
          body,
          properties: replyProperties(correlationId, TRANSIENT),
          unconfirmed: true,
        });
      } catch (error) {
        this.container.logger.error({ err: error, correlationId }, 'could not publish an RPC reply');
        return;
      }
      if (ack) delivery.ack();
      return;
    }
    try {
      // Unconfirmed replies are mandatory only so that one reaching no queue (its caller gone) is
      // logged by the transport; a confirmed reply is not, as before and as Nameko's are not.
      await this.container.transport.publish({
        exchange: RPC_EXCHANGE,
        routingKey: replyTo,
        body,
        properties: levers.literalProperties
          ? replyProperties(correlationId, deliveryMode)
          : jsonProperties(correlationId === undefined ? { deliveryMode, headers: {} } : { correlationId, deliveryMode, headers: {} }),
        mandatory: !levers.waitForConfirm,
        unconfirmed: !levers.waitForConfirm,
      });
    } catch (error) {
      // Not acknowledged: the broker gives the request to a live instance.
      this.container.logger.error({ err: error, correlationId }, 'could not publish an RPC reply');
      return;
    }
    if (ack) delivery.ack();
  }
}

/** Where a shimeji caller takes its reply directly, if its request says so (never for a Nameko caller). */
function directReplyAddress(headers: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const raw = headers?.[DIRECT_REPLY_HEADER];
  const value = Buffer.isBuffer(raw) ? raw.toString('utf8') : raw;
  // Only RabbitMQ's own pseudo-queues: a request must not steer a reply anywhere else.
  return typeof value === 'string' && value.startsWith('amq.rabbitmq.reply-to.') && value.length <= 255 ? value : undefined;
}

/**
 * A request's log, with its routing key and correlation id: a child logger per message costs more
 * than the rest of the hot path, so it is made only when something is logged.
 */
class DeliveryLog {
  constructor(
    private readonly logger: Logger,
    private readonly delivery: Delivery,
  ) {}

  error(objOrMessage: object | string, message?: string): void {
    if (message === undefined) this.child().error(objOrMessage);
    else this.child().error(objOrMessage, message);
  }

  warn(objOrMessage: object | string, message?: string): void {
    if (message === undefined) this.child().warn(objOrMessage);
    else this.child().warn(objOrMessage, message);
  }

  private child(): Logger {
    return this.logger.child({ routingKey: this.delivery.routingKey, correlationId: this.delivery.properties.correlationId });
  }
}

function errorBody(error: unknown, serviceName: string): RpcReplyBody {
  return { result: null, error: serializeError(error, serviceName) as WireError };
}

export type RpcOptions = EntrypointOptions;

export class RpcEntrypoint extends Entrypoint {
  parameters: Parameter[] = [];
  /** Who may call, bound to the method's arguments: the `allow` option. */
  access?: AccessRule;

  override describe(): string {
    return `rpc ${this.container.serviceName}.${this.methodName} (queue ${rpcQueueName(this.container.serviceName)})`;
  }

  override async setup(): Promise<void> {
    const method = (this.container.serviceClass.prototype as Record<string, unknown>)[this.methodName];
    if (typeof method !== 'function') throw new Error(`@rpc ${this.methodName} is not a method`);
    this.parameters = this.options.args ? [...this.options.args.parameters] : readParameters(method as (...args: unknown[]) => unknown);
    const where = `${this.container.serviceName}.${this.methodName}`;
    if (this.options.allow !== undefined) this.access = new AccessRule(this.options.allow, this.parameters.map((p) => p.name ?? ''), where);
    this.consumer().register(this);
  }

  override async stop(): Promise<void> {
    await this.consumer().drain();
  }

  private consumer(): RpcConsumer {
    return this.container.shared('rpc-consumer', () => new RpcConsumer());
  }
}

/** Exposes a method over RPC: `@rpc async payOrder(orderId: number) { … }`. */
export const rpc = entrypointDecorator<RpcOptions>((options) => new RpcEntrypoint(options));

