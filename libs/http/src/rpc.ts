// The standalone RPC client as a fastify decoration: `request.rpc.call(service, method, args)`
// carries the request id as the call id and the authenticated user as `user_id`.
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface CallOptions {
  callId?: string;
  contextData?: Record<string, unknown>;
  timeoutMs?: number;
}

/** What a facade needs of `ClusterRpcClient`; tests pass a fake with the same `call`. */
export interface RpcClient {
  call(service: string, method: string, args?: unknown[], options?: CallOptions): Promise<unknown>;
  /** The client's transport; `/ready` reads its `isOpen` when it has one. */
  readonly transport?: unknown;
}

export interface RequestRpc {
  call<T = unknown>(service: string, method: string, args?: unknown[]): Promise<T>;
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
  return {
    call: <T>(service: string, method: string, args: unknown[] = []) => {
      const userId = (request.user as { id?: string } | undefined)?.id;
      return client.call(service, method, args, {
        callId: `${caller}.http.${request.id}`,
        contextData: userId === undefined ? {} : { user_id: userId },
        timeoutMs,
      }) as Promise<T>;
    },
  };
}

/** Connected to the broker: a cheap look at the client's transport, no round trip. */
export function isConnected(client: RpcClient): boolean {
  const transport = client.transport as { isOpen?: unknown; connected?: unknown } | undefined;
  if (transport === undefined) return true;
  if (typeof transport.isOpen === 'boolean') return transport.isOpen;
  if (typeof transport.connected === 'boolean') return transport.connected;
  return true;
}

/** Each method of a consumed interface, answered over RPC. */
export type Remote<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** A typed proxy for one service: `remote<UserApi>(request.rpc, 'user').getUser(id)`. */
export function remote<T>(rpc: RequestRpc, service: string): Remote<T> {
  return new Proxy({} as Remote<T>, {
    get: (_target, method) =>
      typeof method === 'string' && method !== 'then'
        ? (...args: unknown[]) => rpc.call(service, method, args)
        : undefined,
  });
}
