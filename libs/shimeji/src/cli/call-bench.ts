// The shell's `.bench`: N calls of one method at a given concurrency, the way Moleculer's REPL
// benchmarks an action: calls per second and the latency spread, failures counted by error.
import { oneLineError } from './one-line-error';

export interface BenchOptions {
  calls: number;
  concurrency: number;
  /** Called about once a second while the bench runs, with the calls finished so far. */
  onProgress?: (finished: number) => void;
}

export interface BenchResult {
  calls: number;
  failed: number;
  /** How many calls failed with each error, by `Name: message`. */
  errors: Map<string, number>;
  seconds: number;
  callsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export async function benchCalls(call: () => Promise<unknown>, options: BenchOptions): Promise<BenchResult> {
  const { calls, concurrency } = options;
  if (!Number.isInteger(calls) || calls < 1) throw new RangeError(`--n must be a whole number of calls above 0, not ${calls}`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`--concurrency must be a whole number above 0, not ${concurrency}`);
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  let started = 0;
  const progress = options.onProgress && setInterval(() => options.onProgress!(latencies.length), 1000);
  const begin = performance.now();
  const lane = async (): Promise<void> => {
    while (started < calls) {
      started++;
      const at = performance.now();
      try {
        await call();
      } catch (error) {
        const key = oneLineError(error);
        errors.set(key, (errors.get(key) ?? 0) + 1);
      }
      latencies.push(performance.now() - at);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, lane));
  } finally {
    if (progress) clearInterval(progress);
  }
  const seconds = (performance.now() - begin) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const failed = [...errors.values()].reduce((sum, n) => sum + n, 0);
  return {
    calls,
    failed,
    errors,
    seconds,
    callsPerSecond: calls / seconds,
    latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 },
  };
}

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));

export function formatBench(what: string, result: BenchResult, concurrency: number): string {
  const { p50, p95, p99, max } = result.latencyMs;
  const lines = [
    `${what}: ${result.calls} calls, ${concurrency} at a time, in ${result.seconds.toFixed(2)} s: ${Math.round(result.callsPerSecond)} calls/s`,
    `  latency ms  p50 ${ms(p50)}  p95 ${ms(p95)}  p99 ${ms(p99)}  max ${ms(max)}`,
    `  failed ${result.failed}`,
  ];
  for (const [error, count] of result.errors) lines.push(`    ${count} × ${error}`);
  return `${lines.join('\n')}\n`;
}
