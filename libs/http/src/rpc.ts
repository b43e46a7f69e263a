// The standalone RPC client as a fastify decoration: `request.rpc.call(service, method, args)`
// and shimeji's typed proxies (`servicesFor<Consumed>(request.rpc).user.getUser(id)`) carry the
// request id as the call id and the authenticated user as `user_id`.
import { type CallOptions, createServiceProxy, type ServiceProxy, type Transport } from '@platform/shimeji';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { scopedIdempotencyKey } from './idempotency-keys';

export type { CallOptions, ServiceProxy };

/** What a facade needs of `ClusterRpcClient`; tests pass a fake with the same `call`. */
export interface RpcClient {
  call(service: string, method: string, args?: unknown[], options?: CallOptions): Promise<unknown>;
  /** The client's transport; `/ready` reads whether it is connected. Fakes may leave it out. */
  readonly transport?: Pick<Transport, 'connected'>;
}

export interface RequestRpc {
  call<T = unknown>(service: string, method: string, args?: unknown[]): Promise<T>;
  /** Shimeji's typed proxy of one service, typed by the interface the facade consumes. */
  service<T>(name: string): ServiceProxy<T>;
}

declare module 'fastify' {
  interface FastifyInstance {
    rpcClient: RpcClient;
  }
  interface FastifyRequest {
    readonly rpc: RequestRpc;
  }
}

export function decorateRpc(app: FastifyInstance, client: RpcClient, caller: string, timeoutMs: number): void {
  app.decorate('rpcClient', client);
  app.decorateRequest('rpc', {
    getter(this: FastifyRequest): RequestRpc {
      return requestRpc(this, client, caller, timeoutMs);
    },
  });
}

function requestRpc(request: FastifyRequest, client: RpcClient, caller: string, timeoutMs: number): RequestRpc {
  const options = (): CallOptions => {
    const userId = (request.user as { id?: string } | undefined)?.id;
    const contextData: Record<string, string> = userId === undefined ? {} : { user_id: userId };
    const idempotencyKey = scopedIdempotencyKey(request, caller);
    if (idempotencyKey !== undefined) contextData.idempotency_key = idempotencyKey;
    return { callId: `${caller}.http.${request.id}`, contextData, timeoutMs };
  };
  return {
    call: <T>(service: string, method: string, args: unknown[] = []) => client.call(service, method, args, options()) as Promise<T>,
    service: <T>(name: string) => createServiceProxy<T>(client, name, options()),
  };
}

/** Connected to the broker: a cheap look at the client's transport, no round trip. */
export function isConnected(client: RpcClient): boolean {
  return client.transport?.connected ?? true;
}

/** The services a facade consumes (`{ user: UserApi, … }`), each as shimeji's typed proxy. */
export type Services<S> = { [K in keyof S]: ServiceProxy<S[K]> };

/** `servicesFor<Consumed>(request.rpc).user.getUser(id)`: a typed proxy per service named. */
export function servicesFor<S>(rpc: RequestRpc): Services<S> {
  return new Proxy({} as Services<S>, {
    get: (_target, name) => (typeof name === 'string' && name !== 'then' ? rpc.service(name) : undefined),
  });
}
