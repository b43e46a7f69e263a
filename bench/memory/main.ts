// `npm run bench:memory`: shimeji's in-memory transport (`memory://`, the embedded default of
// `npm start` and of unit tests) against the same code on RabbitMQ, in one process, rounds
// interleaved: an RPC echo at 1 and 50 in flight, and service-pool events at 50 in flight.
// The target (issue 14): in-memory RPC at 50 in flight ≥ 50,000 calls/s.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShimejiEvents } from '../events/shimeji-events';
import { DeliveryTracker } from '../events/tracker';
import { median } from '../rpc/measure';
import { type Payload, payloadBytes } from '../rpc/payload';
import { startShimejiEcho } from '../rpc/shimeji-echo';
import { cpus } from 'node:os';
import { type Contender, int, log, ms, ratio, runBenchmark, runRounds, type Stats } from '../shared/harness';

const OUTPUT = join(__dirname, 'last-run.md');
/** What the in-memory RPC row must reach at 50 in flight. */
const TARGET_CALLS_PER_SEC = 50_000;
const SETTLE_MS = 500;

interface Row extends Contender {
  kind: 'rpc' | 'events';
  transport: 'memory://' | 'RabbitMQ';
}

runBenchmark(async (ctx) => {
  const { config, runId, cleanup } = ctx;
  const startedAt = new Date();
  const memoryUri = `memory://bench-${runId}`;
  const rows: Row[] = [];
  const trackers: { tracker: DeliveryTracker; dispatched: () => number }[] = [];

  for (const [transport, uri] of [['memory://', memoryUri], ['RabbitMQ', config.uri]] as const) {
    const onQueue = transport === 'RabbitMQ' ? (q: string) => cleanup.addQueue(q) : () => undefined;
    const tag = transport === 'RabbitMQ' ? 'amqp' : 'mem';
    const echo = await startShimejiEcho({ uri, runId: `${tag}_${runId}`, maxWorkers: config.prefetch, onQueue, label: `RPC on ${transport}` });
    cleanup.addCloser(() => echo.close());
    rows.push({
      key: `rpc-${tag}`,
      label: echo.label,
      kind: 'rpc',
      transport,
      problems: () => [],
      call: (payload) => echo.call(payload),
    });

    const events = await ShimejiEvents.start({
      uri,
      runId,
      maxWorkers: config.prefetch,
      onQueue,
      onExchange: transport === 'RabbitMQ' ? (e) => cleanup.addExchange(e) : () => undefined,
      onCloser: (c) => cleanup.addCloser(c),
    });
    const source = `bench_memsrc_${tag}_${runId}`;
    const tracker = new DeliveryTracker(`events on ${transport}`, 1);
    await events.listen(source, `bench_mempool_${tag}_${runId}`, 'service_pool', tracker);
    const dispatch = events.dispatcherFor(source);
    let dispatched = 0;
    trackers.push({ tracker, dispatched: () => dispatched });
    rows.push({
      key: `events-${tag}`,
      label: `service-pool events on ${transport}`,
      kind: 'events',
      transport,
      problems: () => tracker.problems,
      call: async (payload: Payload) => {
        const handled = tracker.expect(payload);
        dispatched++;
        await dispatch(payload);
        return handled;
      },
    });
  }

  const sequential = { mode: 'sequential', inFlight: 1 };
  const parallel = { mode: `${config.inFlight} in flight`, inFlight: config.inFlight };
  const rpcRounds = await runRounds(ctx, rows.filter((r) => r.kind === 'rpc'), [sequential, parallel]);
  const eventRounds = await runRounds(ctx, rows.filter((r) => r.kind === 'events'), [parallel]);
  await sleep(SETTLE_MS);
  const problems = trackers.flatMap(({ tracker, dispatched }) => tracker.verify(dispatched()));
  if (problems.length > 0) throw new Error(`delivery check failed:\n  ${problems.slice(0, 20).join('\n  ')}`);

  const lines: string[] = [];
  const med = (runs: Stats[], pick: (s: Stats) => number) => median(runs.map(pick));
  lines.push(`### In-memory transport against RabbitMQ — ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}`, '');
  lines.push(`Machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, RabbitMQ at ${new URL(config.uri).host}; everything in one Node process.  `);
  lines.push(
    `RPC echo of a ${payloadBytes()}-byte JSON object (ServiceContainer + ClusterRpcClient) and service-pool events ` +
      `(ClusterEventDispatcher → @eventHandler, each lane waiting for the handler); ${config.rounds} interleaved rounds of ` +
      `${config.roundMs} ms per row after ${config.warmupMs} ms warm-up; maxWorkers ${config.prefetch}. Medians across rounds; ` +
      'every reply checked, every event handled exactly once. Node CPU: this process per call (on memory:// it is all the work).',
    '',
  );
  lines.push('| What | Mode | Transport | calls/s (median) | calls/s (min–max) | / RabbitMQ | p50 ms | p99 ms | Node CPU µs/call |');
  lines.push('|---|---|---|---:|---:|---:|---:|---:|---:|');
  const table = (rounds: Record<string, Record<string, Stats[]>>, kind: Row['kind'], mode: string) => {
    const [mem, amqp] = [rounds[mode]![`${kind}-mem`]!, rounds[mode]![`${kind}-amqp`]!];
    for (const [transport, runs] of [['memory://', mem], ['RabbitMQ', amqp]] as const) {
      const cps = runs.map((s) => s.callsPerSec);
      lines.push(
        `| ${kind === 'rpc' ? 'RPC echo' : 'events, service pool'} | ${mode} | ${transport} | ${int(median(cps))} | ${int(Math.min(...cps))}–${int(Math.max(...cps))} | ` +
          `${ratio(median(cps) / med(amqp, (s) => s.callsPerSec))} | ${ms(med(runs, (s) => s.p50Ms))} | ${ms(med(runs, (s) => s.p99Ms))} | ${int(med(runs, (s) => s.cpuMicrosPerCall))} |`,
      );
    }
  };
  table(rpcRounds, 'rpc', sequential.mode);
  table(rpcRounds, 'rpc', parallel.mode);
  table(eventRounds, 'events', parallel.mode);
  const headline = med(rpcRounds[parallel.mode]!['rpc-mem']!, (s) => s.callsPerSec);
  lines.push(
    '',
    `Target: in-memory RPC at ${parallel.inFlight} in flight ≥ ${int(TARGET_CALLS_PER_SEC)} calls/s: ` +
      `${int(headline)} (${ratio(headline / TARGET_CALLS_PER_SEC)}× the target): **${headline >= TARGET_CALLS_PER_SEC ? 'met' : 'not met'}**.`,
    '',
    `Per-round calls/s, in-memory RPC at ${parallel.inFlight} in flight: ${rpcRounds[parallel.mode]!['rpc-mem']!.map((s) => int(s.callsPerSec)).join(', ')}`,
  );
  const markdown = lines.join('\n');
  process.stdout.write(`${markdown}\n`);
  writeFileSync(OUTPUT, `${markdown}\n`);
  log(`written to ${OUTPUT}`);
});
