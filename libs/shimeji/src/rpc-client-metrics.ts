// The caller's side of RPC metrics: how long each outgoing call took until its reply, error or
// timeout, by caller, service, method and outcome. Every RPC client of the process (RpcProxy and
// ClusterRpcClient both call through ReplyListener) reports to the registries that asked for it.
import { Histogram, type Registry } from 'prom-client';
import { ConnectionLost, RemoteError, RpcTimeout, UnknownService } from './exceptions';

/**
 * `expected_error`: the service answered with an error the caller registered (part of the
 * contract); `error`: any other remote error; `not_sent`: no broker, or no such service.
 */
export type CallOutcome = 'ok' | 'expected_error' | 'error' | 'timeout' | 'not_sent';

type CallObserver = (caller: string, service: string, method: string, outcome: CallOutcome, seconds: number) => void;

const observers = new Set<CallObserver>();

export function callOutcome(error: unknown): CallOutcome {
  if (error instanceof RpcTimeout) return 'timeout';
  if (error instanceof ConnectionLost || error instanceof UnknownService) return 'not_sent';
  if (error instanceof RemoteError) return 'error';
  return 'expected_error';
}

/** Called by ReplyListener for each call when some registry records them; nothing otherwise. */
export function observeCall(caller: string, service: string, method: string, reply: Promise<unknown>): void {
  if (observers.size === 0) return;
  const startedAt = performance.now();
  const report = (outcome: CallOutcome) => {
    const seconds = (performance.now() - startedAt) / 1000;
    for (const observer of observers) observer(caller, service, method, outcome, seconds);
  };
  reply.then(
    () => report('ok'),
    (error: unknown) => report(callOutcome(error)),
  );
}

export function recordingCalls(): boolean {
  return observers.size > 0;
}

const byRegistry = new WeakMap<Registry, RpcClientMetrics>();

export class RpcClientMetrics {
  readonly calls: Histogram<'caller' | 'service' | 'method' | 'outcome'>;
  private readonly observer: CallObserver;
  private users = 0;

  /** The metrics of this registry, created on first use (one histogram per registry). */
  static in(registry: Registry): RpcClientMetrics {
    let found = byRegistry.get(registry);
    if (!found) {
      found = new RpcClientMetrics(registry);
      byRegistry.set(registry, found);
    }
    return found;
  }

  private constructor(registry: Registry) {
    this.calls = new Histogram({
      name: 'shimeji_rpc_client_duration_seconds',
      help: 'Outgoing RPC calls, from publish to reply, by caller, service, method and outcome (ok, expected_error, error, timeout, not_sent)',
      labelNames: ['caller', 'service', 'method', 'outcome'],
      registers: [registry],
    });
    this.observer = (caller, service, method, outcome, seconds) => this.calls.observe({ caller, service, method, outcome }, seconds);
  }

  /** Records the process's calls from now on; returns a function that stops it (once every user did). */
  start(): () => void {
    this.users++;
    observers.add(this.observer);
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      if (--this.users === 0) observers.delete(this.observer);
    };
  }
}
