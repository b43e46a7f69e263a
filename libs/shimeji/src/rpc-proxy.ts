// The RpcProxy dependency: a worker's typed handle on another service. Calls carry the
// worker's context (call id stack, user_id, language, …) in `nameko.*` headers.
import { readConfig } from './config';
import { defaultErrorRegistry, type ErrorRegistry } from './exceptions';
import { DependencyProvider, SharedExtension } from './extensions';
import { ReplyListener } from './reply-listener';
import { type CallOptions, createServiceProxy, type ServiceProxy } from './service-proxy';
import type { Headers } from './transport/transport';
import { contextToHeaders, type WorkerContext } from './worker-context';
import { AUTH_TOKEN_KEY } from './access-tokens';
import { ServiceIdentity } from './service-identity';

/** The container's reply queue, shared by all its RpcProxy dependencies. */
class ReplyListenerExtension extends SharedExtension {
  listener!: ReplyListener;

  override async setup(): Promise<void> {
    this.listener = new ReplyListener(this.container.transport, this.container.serviceName, this.container.logger);
  }

  override async start(): Promise<void> {
    await this.listener.start();
  }

  override async stop(): Promise<void> {
    await this.listener.stop();
  }

  override async kill(): Promise<void> {
    await this.listener.stop().catch(() => undefined);
  }
}

export interface RpcProxyOptions {
  /** Per-call timeout for this proxy; defaults to the container's `rpcTimeoutMs`. */
  timeoutMs?: number;
  /** The remote errors this caller turns back into its own classes. */
  errors?: ErrorRegistry;
}

/** `payments = inject(new RpcProxy<PaymentApi>('payment'))`, then `await this.payments.payOrder(1)`. */
export class RpcProxy<T = Record<string, (...args: any[]) => any>> extends DependencyProvider<ServiceProxy<T>> {
  private replies!: ReplyListenerExtension;
  private identity!: ServiceIdentity;

  constructor(readonly targetService: string, private readonly options: RpcProxyOptions = {}) {
    super();
  }

  override async setup(): Promise<void> {
    this.replies = this.container.shared('reply-listener', () => new ReplyListenerExtension());
    this.identity = ServiceIdentity.of(this.container);
  }

  getDependency(workerCtx: WorkerContext): ServiceProxy<T> {
    const timeoutMs = this.options.timeoutMs ?? readConfig.rpcTimeoutMs(this.container.config);
    const errors = this.options.errors ?? defaultErrorRegistry;
    let workerHeaders: Headers | undefined;
    const headersFor = (options: CallOptions, data: WorkerContext['data']): Headers =>
      options.contextData === undefined
        ? (workerHeaders ??= contextToHeaders(data, workerCtx.callIdStack))
        : contextToHeaders({ ...data, ...options.contextData }, workerCtx.callIdStack);
    // A worker serving a verified call passes its caller's token on; any other acts as its service.
    const contextData = async (): Promise<WorkerContext['data']> => {
      if (workerCtx.identity) return workerCtx.data;
      const token = await this.identity.token();
      return token === undefined ? workerCtx.data : { ...workerCtx.data, [AUTH_TOKEN_KEY]: token };
    };
    const caller = {
      call: async (service: string, method: string, args: unknown[], options: CallOptions) =>
        this.replies.listener.call({
          service,
          method,
          args,
          kwargs: options.kwargs,
          headers: headersFor(options, await contextData()),
          timeoutMs: options.timeoutMs ?? timeoutMs,
          errors,
        }),
    };
    return createServiceProxy<T>(caller, this.targetService);
  }
}
