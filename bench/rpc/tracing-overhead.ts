// `npm run tracing-overhead -w @platform/bench`: shimeji RPC echo at BENCH_IN_FLIGHT (50) in
// flight with OpenTelemetry tracing off and on, in one process, against one broker, rounds
// interleaved. One echo service and one client serve both: "on" resumes the process's tracing
// (always-on sampler, batch processor, an exporter that drops the spans), "off" suspends it, so
// the ratio is the cost of making, propagating and ending the spans (a client span, the
// worker's server span, the traceparent header both ways) and nothing else.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alwaysOnSampler, startTracing, tracingEnabled } from '@platform/shimeji/tracing';
import { median } from './measure';
import { payloadBytes } from './payload';
import { startShimejiEcho } from './shimeji-echo';
import { type Contender, int, log, machineLine, ms, ratio, runBenchmark, runRounds, type Stats } from '../shared/harness';

const OUTPUT = join(__dirname, 'last-run-tracing.md');

/** Spans made, batched, then dropped: exporting to a collector is another process's cost. */
const dropSpans = {
  export: (_spans: unknown[], done: (result: { code: number }) => void) => done({ code: 0 }),
  shutdown: async () => undefined,
};

runBenchmark(async (ctx) => {
  const { config, runId, cleanup } = ctx;
  const startedAt = new Date();
  const tracing = startTracing({ exporter: dropSpans, sampler: alwaysOnSampler(), serviceName: 'bench' });
  tracing.suspend();
  cleanup.addCloser(() => tracing.shutdown());
  const echo = await startShimejiEcho({ uri: config.uri, runId, maxWorkers: config.prefetch, onQueue: (q) => cleanup.addQueue(q), label: 'shimeji' });
  cleanup.addCloser(() => echo.close());
  // The switch costs one boolean test per call, the same in both.
  const contenders: Contender[] = [
    { key: 'off', label: 'tracing off', call: (p) => (tracingEnabled() && tracing.suspend(), echo.call(p)), problems: () => [] },
    { key: 'on', label: 'tracing on (always-on sampler)', call: (p) => (tracingEnabled() || tracing.resume(), echo.call(p)), problems: () => [] },
  ];
  const modes = [{ mode: 'in-flight', inFlight: config.inFlight, title: `${config.inFlight} in flight` }];
  const rounds = await runRounds(ctx, contenders, modes);
  tracing.suspend();

  const runs = (key: string): Stats[] => rounds['in-flight']![key]!;
  const med = (key: string, pick: (s: Stats) => number): number => median(runs(key).map(pick));
  const cps = (s: Stats): number => s.callsPerSec;
  const lines: string[] = [];
  lines.push(`### RPC with tracing off and on: shimeji echo — ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}`);
  lines.push('');
  lines.push(`${machineLine('?', config.uri)}  `);
  lines.push(
    `Echo of a ${payloadBytes()}-byte JSON object through ServiceContainer + ClusterRpcClient, ${config.inFlight} in flight; ` +
      `${config.rounds} interleaved rounds of ${config.roundMs} ms per variant after ${config.warmupMs} ms warm-up. ` +
      `Tracing on: alwaysOnSampler, BatchSpanProcessor, spans dropped by the exporter. Medians across rounds.`,
  );
  lines.push('');
  lines.push('| Variant | calls/s (median) | calls/s (min–max) | calls/s / off | p50 ms | p99 ms | Node CPU µs/call | Node CPU / off |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const c of contenders) {
    const values = runs(c.key).map(cps);
    lines.push(
      `| ${c.label} | ${int(median(values))} | ${int(Math.min(...values))}–${int(Math.max(...values))} | ${ratio(med(c.key, cps) / med('off', cps))} | ` +
        `${ms(med(c.key, (s) => s.p50Ms))} | ${ms(med(c.key, (s) => s.p99Ms))} | ${int(med(c.key, (s) => s.cpuMicrosPerCall))} | ` +
        `${ratio(med(c.key, (s) => s.cpuMicrosPerCall) / med('off', (s) => s.cpuMicrosPerCall))} |`,
    );
  }
  lines.push('');
  lines.push(`Per-round calls/s, on / off: ${runs('on').map((s, i) => ratio(s.callsPerSec / runs('off')[i]!.callsPerSec)).join(', ')}`);
  const markdown = lines.join('\n');
  process.stdout.write(`${markdown}\n`);
  writeFileSync(OUTPUT, `${markdown}\n`);
  log(`written to ${OUTPUT}`);
});
