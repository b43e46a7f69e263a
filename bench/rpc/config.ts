// Every knob of the benchmark, read once from the environment so a run can be made longer
// (steadier medians) or shorter (a smoke check) without editing code.

export interface BenchConfig {
  uri: string;
  rounds: number;
  /** Length of one measured run (one implementation, one mode). */
  roundMs: number;
  /** Length of each warm-up run; JIT and broker queue processes need it before numbers mean anything. */
  warmupMs: number;
  inFlight: number;
  /** Both servers take this many unacknowledged requests at once (shimeji: maxWorkers). */
  prefetch: number;
  /**
   * Routing of the headline baseline's bare messages. `topic`: through `nameko-rpc`, as shimeji
   * must; the wire-identical baseline always routes so, whatever this says.
   */
  rawRouting: 'default' | 'topic';
  /** A run that has not finished this long after its planned end is declared hung. */
  hangMs: number;
}

function intFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

export function readBenchConfig(): BenchConfig {
  const rawRouting = process.env.BENCH_RAW_ROUTING ?? 'default';
  if (rawRouting !== 'default' && rawRouting !== 'topic') {
    throw new Error(`BENCH_RAW_ROUTING must be "default" or "topic", got "${rawRouting}"`);
  }
  return {
    uri: process.env.BENCH_AMQP_URI ?? 'amqp://guest:guest@127.0.0.1:5672',
    rounds: intFromEnv('BENCH_ROUNDS', 5, 1),
    roundMs: intFromEnv('BENCH_ROUND_MS', 3000, 100),
    warmupMs: intFromEnv('BENCH_WARMUP_MS', 1500, 0),
    inFlight: intFromEnv('BENCH_IN_FLIGHT', 50, 2),
    prefetch: 64,
    rawRouting,
    hangMs: intFromEnv('BENCH_HANG_MS', 15_000, 1000),
  };
}
