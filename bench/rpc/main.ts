// `npm run bench:rpc`: shimeji RPC against two hand-written amqplib baselines (bare messages,
// and shimeji's exact messages), in one process, against one broker, rounds interleaved.
// See bench/README.md for what and why.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Cleanup } from './cleanup';
import { readBenchConfig } from './config';
import { type EchoTarget, runLoad, type RunStats, summarize } from './measure';
import { payloadBytes } from './payload';
import { startRawEcho } from './raw-amqplib';
import { type Implementation, type Mode, renderReport, type ReportInput } from './report';
import { startShimejiEcho } from './shimeji-echo';

const OUTPUT = join(__dirname, 'last-run.md');

interface Contender extends Implementation {
  target: EchoTarget;
  /** Problems seen outside any call (stray replies...); any of them invalidates the run. */
  problems(): readonly string[];
}

/**
 * The order of the implementations in a round. Rotations, then reversed rotations: for three,
 * every sixth round each one has run first, second and third equally often, and straight after
 * each of the others equally often, so a drift of the machine favours nobody.
 */
function roundOrder<T>(items: readonly T[], round: number): T[] {
  const shift = round % items.length;
  const rotated = [...items.slice(shift), ...items.slice(0, shift)];
  return Math.floor(round / items.length) % 2 === 0 ? rotated : rotated.reverse();
}

function log(message: string): void {
  // Progress goes to stderr so stdout carries only the table.
  process.stderr.write(`${message}\n`);
}

async function main(): Promise<number> {
  const config = readBenchConfig();
  const runId = randomBytes(4).toString('hex');
  const cleanup = new Cleanup(config.uri);
  const aborter = new AbortController();
  const onSigint = (): void => {
    log('interrupted: cleaning up');
    aborter.abort();
  };
  process.once('SIGINT', onSigint);
  const startedAt = new Date();
  let failed = false;

  try {
    const shimeji = await startShimejiEcho({
      uri: config.uri,
      runId,
      maxWorkers: config.prefetch,
      onQueue: (q) => cleanup.addQueue(q),
    });
    cleanup.addCloser(() => shimeji.close());
    const raw = await startRawEcho({
      uri: config.uri,
      runId,
      prefetch: config.prefetch,
      wire: config.rawRouting === 'topic' ? 'bare-topic' : 'bare',
      label: config.rawRouting === 'topic' ? 'raw amqplib (topic)' : 'raw amqplib',
      onQueue: (q) => cleanup.addQueue(q),
    });
    cleanup.addCloser(() => raw.close());
    const rawNameko = await startRawEcho({
      uri: config.uri,
      runId,
      prefetch: config.prefetch,
      wire: 'nameko',
      label: 'raw amqplib, Nameko messages',
      onQueue: (q) => cleanup.addQueue(q),
    });
    cleanup.addCloser(() => rawNameko.close());

    const contenders: Contender[] = [
      { key: 'shimeji', label: 'shimeji', target: shimeji, problems: () => [] },
      { key: 'raw', label: raw.label, target: raw, problems: () => raw.problems },
      { key: 'rawNameko', label: rawNameko.label, target: rawNameko, problems: () => rawNameko.problems },
    ];
    const labelWidth = Math.max(...contenders.map((c) => c.label.length));
    const modes: { mode: Mode; inFlight: number }[] = [
      { mode: 'sequential', inFlight: 1 },
      { mode: 'in-flight', inFlight: config.inFlight },
    ];
    const run = async (contender: Contender, inFlight: number, durationMs: number): Promise<RunStats> => {
      const stats = summarize(
        await runLoad(contender.target, { inFlight, durationMs, hangMs: config.hangMs, signal: aborter.signal }),
      );
      const problems = contender.problems();
      if (problems.length > 0) throw new Error(`${contender.label}: ${problems.slice(0, 5).join('; ')}`);
      return stats;
    };

    log(`warm-up: ${config.warmupMs} ms per implementation and mode`);
    for (const contender of contenders) {
      for (const { inFlight } of modes) if (config.warmupMs > 0) await run(contender, inFlight, config.warmupMs);
    }

    const rounds: ReportInput['rounds'] = {
      sequential: { shimeji: [], raw: [], rawNameko: [] },
      'in-flight': { shimeji: [], raw: [], rawNameko: [] },
    };
    for (let round = 0; round < config.rounds; round++) {
      const order = roundOrder(contenders, round);
      for (const { mode, inFlight } of modes) {
        for (const contender of order) {
          const stats = await run(contender, inFlight, config.roundMs);
          rounds[mode][contender.key].push(stats);
          log(
            `round ${round + 1}/${config.rounds} ${mode.padEnd(10)} ${contender.label.padEnd(labelWidth)} ` +
              `${Math.round(stats.callsPerSec).toString().padStart(6)} calls/s  p50 ${stats.p50Ms.toFixed(2)} ms  ` +
              `p99 ${stats.p99Ms.toFixed(2)} ms  cpu ${Math.round(stats.cpuMicrosPerCall)} µs/call`,
          );
        }
      }
    }

    const cpu = cpus();
    const markdown = renderReport({
      startedAt,
      environment:
        `Machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, ` +
        `RabbitMQ ${raw.serverVersion} at ${new URL(config.uri).host}; client, servers and load in one Node process.`,
      settings:
        `Echo of a ${payloadBytes()}-byte JSON object; ${config.rounds} interleaved rounds of ${config.roundMs} ms per ` +
        `implementation and mode after ${config.warmupMs} ms warm-up; prefetch/maxWorkers ${config.prefetch}; ` +
        `headline baseline (${raw.label}): bare properties, ` +
        `${config.rawRouting === 'topic' ? 'topic exchange nameko-rpc' : 'default exchange'}; ` +
        `wire-identical baseline (${rawNameko.label}): the same code sending shimeji's exact messages ` +
        `(nameko-rpc topic routing, Nameko properties and headers). ` +
        `Medians across rounds; every reply checked against its request. ` +
        `Node CPU: user+system time of this process (callers and servers) per call, charged to the implementation running.`,
      inFlight: config.inFlight,
      implementations: contenders,
      rounds,
    });
    process.stdout.write(`${markdown}\n`);
    writeFileSync(OUTPUT, `${markdown}\n`);
    log(`written to ${OUTPUT}`);
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
}

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
