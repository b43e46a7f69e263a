// RPC for code that is not a service (facades, scripts, the shell): Nameko's ClusterRpcProxy.
import { randomUUID } from 'node:crypto';
import { readConfig } from '../config';
import { CONFIG_KEYS, DEFAULTS, STANDALONE_CALLER } from '../constants';
import { defaultErrorRegistry, type ErrorRegistry } from '../exceptions';
import { createLogger, type Logger } from '../logger';
import { ReplyListener, type WhileDisconnected } from '../reply-listener';
import { type CallOptions, createServiceProxy, type ServiceProxy } from '../service-proxy';
import { createTransport } from '../transport/create-transport';
import type { Headers, Transport } from '../transport/transport';
import { type ContextData, contextToHeaders } from '../worker-context';

export interface ClusterRpcClientOptions {
  /** Broker URI (`amqp://…` or `memory://<name>`; several nodes of a cluster comma-separated); defaults to `AMQP_URI` or the local broker. */
  uri?: string;
  /** The type of its reply queue on RabbitMQ: `quorum` survives the loss of a cluster node; default AMQP_QUEUE_TYPE, else `classic`. */
  queueType?: 'classic' | 'quorum';
  transport?: Transport;
  /** Default timeout of every call; a call never waits forever. */
  timeoutMs?: number;
  /** Context data sent with every call (`user_id`, `language`, …). */
  contextData?: ContextData;
  /** The remote errors this client turns back into their own classes. */
  errors?: ErrorRegistry;
  logger?: Logger;
  heartbeatSeconds?: number;
  /** How the connection is named on the broker (rabbitmqctl list_connections, management UI). */
  connectionName?: string;
  /** `wait` (default) or `fail`: what calls do while the broker is out of reach (see WhileDisconnected). */
  whileDisconnected?: WhileDisconnected;
  /**
   * Replies from shimeji services straight to this connection (RabbitMQ's direct reply-to), not
   * through the reply queue: less broker work per call, but a reply in flight when the connection
   * drops is lost. Default: on when `whileDisconnected` is `fail` (such calls fail then anyway).
   */
  directReplies?: boolean;
}

export class ClusterRpcClient {
  private readonly defaultCallId = `${STANDALONE_CALLER}.call.${randomUUID()}`;
  // Built once: amqplib uses the headers object as a prototype on every publish, which is cheap
  // only for an object it has seen before.
  private readonly defaultHeaders: Headers;

  private constructor(
    readonly transport: Transport,
    private readonly replies: ReplyListener,
    private readonly options: ClusterRpcClientOptions,
  ) {
    this.defaultHeaders = Object.freeze(contextToHeaders(options.contextData ?? {}, [this.defaultCallId]));
  }

  static async connect(options: ClusterRpcClientOptions = {}): Promise<ClusterRpcClient> {
    const transport =
      options.transport ??
      createTransport(options.uri ?? process.env.AMQP_URI ?? DEFAULTS.amqpUri, {
        heartbeatSeconds: options.heartbeatSeconds ?? DEFAULTS.heartbeatSeconds,
        connectionName: options.connectionName ?? 'standalone rpc client (shimeji)',
        logger: options.logger,
        queueType: options.queueType ?? readConfig.amqpQueueType({ [CONFIG_KEYS.amqpQueueType]: process.env[CONFIG_KEYS.amqpQueueType] }),
      });
    await transport.connect();
    const logger = options.logger ?? createLogger(process.env.LOG_LEVEL ?? 'warn', 'rpc-client');
    const replies = new ReplyListener(transport, STANDALONE_CALLER, logger, options.whileDisconnected, options.directReplies ?? options.whileDisconnected === 'fail');
    try {
      await replies.start();
    } catch (error) {
      await transport.close();
      throw error;
    }
    return new ClusterRpcClient(transport, replies, options);
  }

  /** A proxy for one service, typed by the interface the caller consumes. */
  service<T = Record<string, (...args: any[]) => any>>(name: string, options: CallOptions = {}): ServiceProxy<T> {
    return createServiceProxy<T>(this, name, options);
  }

  call(service: string, method: string, args: unknown[] = [], options: CallOptions = {}): Promise<unknown> {
    return this.replies.call({
      service,
      method,
      args,
      kwargs: options.kwargs,
      headers:
        options.contextData === undefined && options.callId === undefined
          ? this.defaultHeaders
          : contextToHeaders({ ...this.options.contextData, ...options.contextData }, [options.callId ?? this.defaultCallId]),
      timeoutMs: options.timeoutMs ?? this.options.timeoutMs ?? DEFAULTS.rpcTimeoutMs,
      errors: this.options.errors ?? defaultErrorRegistry,
    });
  }

  /** Removes the reply queue and closes the connection (Nameko leaves the queue for 5 minutes). */
  async close(): Promise<void> {
    await this.replies.stop();
    if (!this.options.transport) await this.transport.close();
  }
}
