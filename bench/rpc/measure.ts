// Closed-loop load: N lanes, each with exactly one call outstanding, so "50 in flight" means
// 50 at every instant (not bursts of 50), and "sequential" is the same loop with one lane.
import { checkEcho, makePayload, type Payload } from './payload';

export interface EchoTarget {
  readonly label: string;
  call(payload: Payload): Promise<unknown>;
}

export interface RunResult {
  calls: number;
  elapsedMs: number;
  latenciesMs: Float64Array;
  /** CPU time of this whole process (callers and servers of the implementation under test). */
  cpuMicros: number;
}

export interface RunOptions {
  inFlight: number;
  durationMs: number;
  hangMs: number;
  signal: AbortSignal;
}

let nextId = 0;

export async function runLoad(target: EchoTarget, options: RunOptions): Promise<RunResult> {
  const latencies: number[] = [];
  let issued = 0;
  let failure: unknown;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + options.durationMs;

  const lane = async (): Promise<void> => {
    // A failed lane stops the others, so the error surfaces now rather than at the deadline.
    while (failure === undefined && !options.signal.aborted && performance.now() < deadline) {
      const sent = makePayload(nextId++);
      issued++;
      const t0 = performance.now();
      const got = await target.call(sent);
      latencies.push(performance.now() - t0);
      checkEcho(target.label, sent, got);
    }
  };
  const lanes = Array.from({ length: options.inFlight }, () =>
    lane().catch((error: unknown) => {
      failure ??= error;
    }),
  );

  // A lost reply would otherwise leave us waiting for the client's own 30 s timeout, or forever.
  let watchdog: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    watchdog = setTimeout(() => resolve('hung'), options.durationMs + options.hangMs);
  });
  const outcome = await Promise.race([Promise.all(lanes), hung]);
  clearTimeout(watchdog);
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);

  if (outcome === 'hung') {
    throw new Error(`${target.label}: ${issued - latencies.length} of ${issued} calls got no reply within ${options.hangMs} ms after the run`);
  }
  if (failure !== undefined) throw failure;
  if (options.signal.aborted) throw new Error('interrupted');
  if (latencies.length !== issued) throw new Error(`${target.label}: ${issued} calls issued but ${latencies.length} replies counted`);
  return { calls: latencies.length, elapsedMs, latenciesMs: Float64Array.from(latencies), cpuMicros: cpu.user + cpu.system };
}

export interface RunStats {
  callsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  calls: number;
  /** Steadier than calls/s on a shared machine: other processes slow us down, but do not bill us. */
  cpuMicrosPerCall: number;
}

export function summarize(run: RunResult): RunStats {
  const sorted = run.latenciesMs.slice().sort();
  return {
    callsPerSec: (run.calls * 1000) / run.elapsedMs,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    calls: run.calls,
    cpuMicrosPerCall: run.cpuMicros / run.calls,
  };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
