// The caller side of RPC: one reply queue per caller, `rpc.reply-<caller>-<uuid>`, bound to
// `nameko-rpc` with the bare uuid, which is what a request carries as `reply_to` (Nameko's form).
import { randomUUID } from 'node:crypto';
import { DIRECT_REPLY_HEADER, REPLY_QUEUE_EXPIRES_MS, RPC_EXCHANGE, replyQueueName } from './constants';
import {
  ConnectionLost,
  deserializeError,
  type ErrorRegistry,
  isWireError,
  RpcTimeout,
  UnknownService,
} from './exceptions';
import type { Logger } from './logger';
import { observeCall, recordingCalls } from './rpc-client-metrics';
import { inClientSpan, tracingEnabled } from './tracing';
import { type Consumer, type Delivery, type DirectReplies, type Headers, type Transport, Unroutable } from './transport/transport';
import { encodeJson, jsonProperties, parseJson } from './wire';

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  registry: ErrorRegistry;
}

export interface CallRequest {
  service: string;
  method: string;
  args: readonly unknown[];
  kwargs?: Readonly<Record<string, unknown>>;
  headers: Headers;
  timeoutMs: number;
  errors: ErrorRegistry;
}

/**
 * What calls do while the broker is out of reach. `wait` (services, scripts): they are sent once
 * the connection is back and their replies wait in the durable reply queue, within each call's
 * timeout. `fail` (facades, where a person waits): a call is refused at once with ConnectionLost,
 * and calls waiting for a reply fail with it when the connection drops, so an outage is a quick
 * "try again" rather than a timeout. A call failed so may still have been carried out.
 */
export type WhileDisconnected = 'wait' | 'fail';

export class ReplyListener {
  readonly replyId = randomUUID();
  readonly queue: string;
  private readonly pending = new Map<string, PendingCall>();
  private consumer?: Consumer;
  private direct?: DirectReplies;
  /** The callers' shared headers with the direct address added, made once per headers and address. */
  private withDirect = new WeakMap<Headers, Headers>();
  private withDirectAddress?: string;

  constructor(
    private readonly transport: Transport,
    private readonly callerName: string,
    private readonly logger: Logger,
    private readonly whileDisconnected: WhileDisconnected = 'wait',
    /**
     * Take replies from shimeji services through RabbitMQ's direct reply-to (default: when calls
     * `fail` while disconnected). A direct reply to a connection that drops is lost, where the
     * durable reply queue would keep it for the caller's next connection: so a caller whose calls
     * `wait` for the broker keeps the queue, unless it says otherwise.
     */
    private readonly useDirectReplies: boolean = whileDisconnected === 'fail',
  ) {
    this.queue = replyQueueName(callerName, this.replyId);
    transport.onConnectionLost((error) => {
      if (this.pending.size === 0) return;
      if (this.whileDisconnected === 'fail') {
        this.failAll(new ConnectionLost(`the connection to the broker was lost while the call waited for its reply (${error.message})`));
        return;
      }
      // The reply queue is durable and outlives the connection, so replies wait there until the
      // transport has reconnected; each call's timeout bounds the wait.
      this.logger.warn({ waiting: this.pending.size, reason: error.message }, 'calls wait for the broker');
    });
  }

  async start(): Promise<void> {
    await this.transport.assertExchange(RPC_EXCHANGE, { durable: true });
    await this.transport.assertQueue(this.queue, {
      durable: true,
      autoDelete: false,
      exclusive: false,
      arguments: { 'x-expires': REPLY_QUEUE_EXPIRES_MS },
    });
    await this.transport.bindQueue(this.queue, RPC_EXCHANGE, this.replyId);
    // No acks on replies: the broker's work per call is one less frame and no tracking, and a
    // reply lost on a dying connection is its call's timeout, acked or not.
    this.consumer = await this.transport.consume(this.queue, (delivery) => this.onReply(delivery), { prefetch: 0, noAck: true });
    // Where the broker has it, a shimeji service answers straight to this connection: no reply
    // queue, no persistence, no ack. A Nameko service, and any reply that finds the connection
    // gone, still comes through the reply queue.
    if (this.useDirectReplies && this.transport.directReplies) this.direct = await this.transport.directReplies((delivery) => this.onReply(delivery));
  }

  /** Stops listening and removes the reply queue; calls still waiting fail with ConnectionLost. */
  async stop(): Promise<void> {
    this.failAll(new ConnectionLost('the RPC caller was closed before the reply arrived'));
    await this.consumer?.cancel();
    this.consumer = undefined;
    await this.transport.deleteQueue(this.queue).catch((error: unknown) => {
      this.logger.info({ queue: this.queue, reason: (error as Error).message }, 'reply queue left to expire on its own (x-expires)');
    });
  }

  /** Publishes one request and waits for its reply, its error, or the timeout. */
  call(request: CallRequest): Promise<unknown> {
    const reply = tracingEnabled()
      ? inClientSpan(request.service, request.method, request.headers, (headers) => this.send({ ...request, headers }))
      : this.send(request);
    if (recordingCalls()) observeCall(this.callerName, request.service, request.method, reply);
    return reply;
  }

  private send(request: CallRequest): Promise<unknown> {
    if (this.whileDisconnected === 'fail' && !this.transport.connected) {
      return Promise.reject(new ConnectionLost('not connected to the broker: the call was not sent'));
    }
    const correlationId = randomUUID();
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(this.expire, request.timeoutMs, correlationId, request);
      this.pending.set(correlationId, { resolve, reject, timer, registry: request.errors });
    });
    this.transport
      .publish({
        exchange: RPC_EXCHANGE,
        routingKey: `${request.service}.${request.method}`,
        body: encodeJson({ args: request.args, kwargs: request.kwargs ?? {} }),
        properties: jsonProperties({ correlationId, replyTo: this.replyId, headers: this.headersFor(request.headers) }),
        mandatory: true,
      })
      .then(undefined, (error: unknown) => this.publishFailed(correlationId, request.service, error));
    return reply;
  }

  /** A request's headers, with the direct reply address while there is one. */
  private headersFor(headers: Headers): Headers {
    const address = this.direct?.address;
    if (address === undefined) return headers;
    if (address !== this.withDirectAddress) {
      this.withDirect = new WeakMap();
      this.withDirectAddress = address;
    }
    // A frozen headers object is a caller's, shared by its calls: its copy is made once.
    if (Object.isFrozen(headers)) {
      let copy = this.withDirect.get(headers);
      if (!copy) this.withDirect.set(headers, (copy = Object.freeze(withHeader(headers, address))));
      return copy;
    }
    return withHeader(headers, address);
  }

  // Methods rather than closures made per call: they run on every call's path.
  private readonly expire = (correlationId: string, request: CallRequest): void => {
    this.settle(correlationId, (call) => call.reject(new RpcTimeout(request.service, request.method, request.timeoutMs)));
  };

  private publishFailed(correlationId: string, service: string, error: unknown): void {
    this.settle(correlationId, (call) => call.reject(error instanceof Unroutable ? new UnknownService(service) : (error as Error)));
  }

  private onReply(delivery: Delivery): void {
    delivery.ack();
    const correlationId = delivery.properties.correlationId;
    if (!correlationId || !this.pending.has(correlationId)) {
      this.logger.debug({ correlationId }, 'reply for an unknown or timed-out call dropped');
      return;
    }
    this.settle(correlationId, (call) => {
      let body: { result?: unknown; error?: unknown };
      try {
        body = parseJson(delivery.body.toString('utf8')) as typeof body;
      } catch {
        call.reject(new Error('the RPC reply is not valid JSON'));
        return;
      }
      if (body.error !== null && body.error !== undefined) {
        call.reject(isWireError(body.error) ? deserializeError(body.error, call.registry) : new Error(String(body.error)));
      } else {
        call.resolve(body.result ?? null);
      }
    });
  }

  private settle(correlationId: string, fn: (call: PendingCall) => void): void {
    const call = this.pending.get(correlationId);
    if (!call) return;
    this.pending.delete(correlationId);
    clearTimeout(call.timer);
    fn(call);
  }

  private failAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.settle(id, (call) => call.reject(error));
  }
}

/** `headers` and the direct reply address, copied key by key (the encoder walks inherited keys too). */
function withHeader(headers: Headers, address: string): Headers {
  const out: Headers = {};
  for (const key in headers) out[key] = headers[key];
  out[DIRECT_REPLY_HEADER] = address;
  return out;
}
