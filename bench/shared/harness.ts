// What bench/peers and bench/events share with bench/rpc's approach: warm-up, interleaved
// rounds in a balanced order, a check of every reply, cleanup whatever happens, and a process
// that exits by itself. The load driver and the statistics are bench/rpc's own (measure.ts).
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Cleanup } from '../rpc/cleanup';
import { type BenchConfig, readBenchConfig } from '../rpc/config';
import { type EchoTarget, runLoad, type RunStats, summarize } from '../rpc/measure';

export function log(message: string): void {
  // Progress goes to stderr so stdout carries only the tables.
  process.stderr.write(`${message}\n`);
}

/**
 * The order of the contenders in a round: rotations, then the same rotations reversed, so over
 * 2 × N rounds each runs in every position equally often and a drift of the machine favours nobody.
 */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  const shift = round % items.length;
  const rotated = [...items.slice(shift), ...items.slice(0, shift)];
  return Math.floor(round / items.length) % 2 === 0 ? rotated : rotated.reverse();
}

export interface Contender extends EchoTarget {
  readonly key: string;
  /** Problems seen outside any call (stray or duplicate deliveries...); any of them fails the run. */
  problems(): readonly string[];
}

export interface LoadMode {
  mode: string;
  inFlight: number;
}

export interface Stats extends RunStats {
  /**
   * CPU time of the RabbitMQ server (beam.smp) during the run, per call; NaN where it cannot be
   * read (not Linux, broker elsewhere). It counts every client of the broker, other sessions' too.
   */
  brokerMicrosPerCall: number;
}

/** rounds[mode][contender key] = one Stats per round, in round order. */
export type Rounds = Record<string, Record<string, Stats[]>>;

/** The broker's pid, if it runs on this machine and /proc shows it. */
function findBroker(): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'beam.smp') return Number(entry);
      } catch {
        // gone meanwhile, or not ours to read
      }
    }
  } catch {
    // no /proc
  }
  return undefined;
}

/** utime + stime of a process in µs (/proc counts in USER_HZ = 100 ticks per second). */
function processCpuMicros(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return Number.NaN;
  }
}

export interface BenchContext {
  config: BenchConfig;
  /** Random, part of every queue, exchange and service name of this run. */
  runId: string;
  cleanup: Cleanup;
  signal: AbortSignal;
}

/** Warm-up for every contender and mode, then `config.rounds` interleaved rounds. */
export async function runRounds(ctx: BenchContext, contenders: readonly Contender[], modes: readonly LoadMode[]): Promise<Rounds> {
  const { config, signal } = ctx;
  const broker = findBroker();
  const run = async (contender: Contender, inFlight: number, durationMs: number): Promise<Stats> => {
    const brokerBefore = processCpuMicros(broker);
    const stats = summarize(await runLoad(contender, { inFlight, durationMs, hangMs: config.hangMs, signal }));
    const brokerMicrosPerCall = (processCpuMicros(broker) - brokerBefore) / stats.calls;
    const problems = contender.problems();
    if (problems.length > 0) throw new Error(`${contender.label}: ${problems.slice(0, 5).join('; ')}`);
    return { ...stats, brokerMicrosPerCall };
  };
  log(`warm-up: ${config.warmupMs} ms per contender and mode`);
  for (const contender of contenders) {
    for (const { inFlight } of modes) if (config.warmupMs > 0) await run(contender, inFlight, config.warmupMs);
  }
  const rounds: Rounds = {};
  for (const { mode } of modes) rounds[mode] = Object.fromEntries(contenders.map((c) => [c.key, [] as Stats[]]));
  const width = Math.max(...contenders.map((c) => c.label.length));
  for (let round = 0; round < config.rounds; round++) {
    for (const { mode, inFlight } of modes) {
      for (const contender of roundOrder(contenders, round)) {
        const stats = await run(contender, inFlight, config.roundMs);
        rounds[mode]![contender.key]!.push(stats);
        log(
          `round ${round + 1}/${config.rounds} ${mode.padEnd(12)} ${contender.label.padEnd(width)} ` +
            `${Math.round(stats.callsPerSec).toString().padStart(6)}/s  p50 ${stats.p50Ms.toFixed(2)} ms  ` +
            `p99 ${stats.p99Ms.toFixed(2)} ms  cpu ${Math.round(stats.cpuMicrosPerCall)} µs  broker ${Math.round(stats.brokerMicrosPerCall)} µs`,
        );
      }
    }
  }
  return rounds;
}

export function machineLine(serverVersion: string, uri: string): string {
  const cpu = cpus();
  return (
    `Machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, ` +
    `RabbitMQ ${serverVersion} at ${new URL(uri).host}; every peer, server and load in one Node process.`
  );
}

export const int = (n: number): string => Math.round(n).toLocaleString('en-US');
export const ms = (n: number): string => (n < 10 ? n.toFixed(2) : n.toFixed(1));
export const ratio = (n: number): string => n.toFixed(2);

/**
 * Runs a benchmark body with cleanup on success, error and Ctrl-C, then sets the exit code
 * (0 ok, 1 broken benchmark or cleanup, 130 interrupted) and makes sure the process ends.
 */
export function runBenchmark(body: (ctx: BenchContext) => Promise<void>): void {
  const main = async (): Promise<number> => {
    const config = readBenchConfig();
    const cleanup = new Cleanup(config.uri);
    const aborter = new AbortController();
    const onSigint = (): void => {
      log('interrupted: cleaning up');
      aborter.abort();
    };
    process.once('SIGINT', onSigint);
    let failed = false;
    try {
      await body({ config, runId: randomBytes(4).toString('hex'), cleanup, signal: aborter.signal });
    } catch (error) {
      failed = true;
      if (aborter.signal.aborted) log('interrupted: no results');
      else log(`BENCHMARK FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      const notes: string[] = [];
      const problems = await cleanup.run(notes);
      for (const note of notes) log(`cleanup note: ${note}`);
      for (const problem of problems) log(`cleanup FAILED: ${problem}`);
      if (problems.length > 0) failed = true;
      process.removeListener('SIGINT', onSigint);
    }
    if (aborter.signal.aborted) return 130;
    return failed ? 1 : 0;
  };
  main().then(
    (code) => {
      process.exitCode = code;
      // Everything was closed; if a handle still keeps the process alive, say so and leave anyway.
      setTimeout(() => {
        log('process still alive 5 s after the end: a connection or timer was left open');
        process.exit(code || 1);
      }, 5000).unref();
    },
    (error: unknown) => {
      log(`BENCHMARK FAILED: ${String(error)}`);
      process.exit(1);
    },
  );
}
