// The standalone RPC client as a fastify decoration: `request.rpc.call(service, method, args)`
// and shimeji's typed proxies (`servicesFor<Consumed>(request.rpc).user.getUser(id)`) carry the
// request id as the call id and the authenticated user as `user_id`.
import { type CallOptions, createServiceProxy, type ServiceProxy, type Transport } from '@platform/shimeji';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Caller } from './auth';
import type { CallerTokens } from './caller-tokens';
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

/**
 * `caller` names the facade in call ids; with `tokens`, every call carries the access token the
 * facade signs for the request's user (a guest's on public routes). Without, none: tests on a
 * fake RPC client.
 */
export function decorateRpc(app: FastifyInstance, client: RpcClient, caller: string, timeoutMs: number, tokens?: CallerTokens): void {
  app.decorate('rpcClient', client);
  app.decorateRequest('rpc', {
    getter(this: FastifyRequest): RequestRpc {
      return requestRpc(this, client, caller, timeoutMs, tokens);
    },
  });
}

function requestRpc(request: FastifyRequest, client: RpcClient, caller: string, timeoutMs: number, tokens?: CallerTokens): RequestRpc {
  const options = async (given: CallOptions): Promise<CallOptions> => {
    const user = request.user as Caller | undefined;
    const contextData: Record<string, unknown> = user?.id === undefined ? {} : { user_id: user.id };
    if (tokens) contextData.auth_token = await tokens.tokenFor(user?.id === undefined ? undefined : user);
    const idempotencyKey = scopedIdempotencyKey(request, caller);
    if (idempotencyKey !== undefined) contextData.idempotency_key = idempotencyKey;
    return { ...given, callId: `${caller}.http.${request.id}`, contextData: { ...contextData, ...given.contextData }, timeoutMs: given.timeoutMs ?? timeoutMs };
  };
  const signed: RpcClient = {
    call: async (service, method, args = [], given = {}) => client.call(service, method, args, await options(given)),
  };
  return {
    call: <T>(service: string, method: string, args: unknown[] = []) => signed.call(service, method, args) as Promise<T>,
    service: <T>(name: string) => createServiceProxy<T>(signed, name),
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
