// Typed proxies: the caller declares the interface it consumes (a tolerant reader) and calls
// methods on it; every call becomes an RPC and returns a promise.
import type { ContextData } from './worker-context';

export interface CallOptions {
  /** Fail with RpcTimeout after this long. */
  timeoutMs?: number;
  /** Sent as Nameko's keyword arguments (`kwargs`) with the positional ones. */
  kwargs?: Record<string, unknown>;
  /** Added to the context data sent with the call (`user_id`, `language`, …). */
  contextData?: ContextData;
  /** The call id of the caller (standalone callers only), e.g. an HTTP request id. */
  callId?: string;
}

type AnyMethod = (...args: any[]) => any;

type Methods<T> = {
  [K in keyof T as T[K] extends AnyMethod ? K : never]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/** What a caller holds for a remote service: its methods, each returning a promise. */
export type ServiceProxy<T = Record<string, AnyMethod>> = Methods<T> & {
  /** The same proxy with other options for its calls. */
  $with(options: CallOptions): ServiceProxy<T>;
};

export interface ProxyCaller {
  call(service: string, method: string, args: unknown[], options: CallOptions): Promise<unknown>;
}

export function createServiceProxy<T>(caller: ProxyCaller, service: string, options: CallOptions = {}): ServiceProxy<T> {
  const target = {} as ServiceProxy<T>;
  return new Proxy(target, {
    get(_target, property) {
      if (typeof property === 'symbol' || property === 'then' || property === 'toJSON') return undefined;
      if (property === '$with') {
        return (more: CallOptions) =>
          createServiceProxy<T>(caller, service, { ...options, ...more, contextData: { ...options.contextData, ...more.contextData } });
      }
      return (...args: unknown[]) => caller.call(service, property, args, options);
    },
  });
}
