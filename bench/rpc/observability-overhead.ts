// `npm run observability-overhead -w @platform/bench`: shimeji RPC echo at BENCH_IN_FLIGHT (50)
// in flight with nothing observed, with OpenTelemetry tracing on, and with Prometheus metrics on,
// in one process, against one broker, rounds interleaved. One echo service and one client serve
// all three: "tracing on" resumes the process's tracing (always-on sampler, batch processor, an
// exporter that drops the spans); "metrics on" instruments the container (each worker counted and
// timed) and records the client's calls; "off" has neither. Each ratio to "off" is the cost of that
// one instrument and nothing else.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceMetrics } from '@platform/shimeji';
import { alwaysOnSampler, startTracing, tracingEnabled } from '@platform/shimeji/tracing';
import { median } from './measure';
import { payloadBytes } from './payload';
import { startShimejiEcho } from './shimeji-echo';
import { type Contender, int, log, machineLine, ms, ratio, runBenchmark, runRounds, type Stats } from '../shared/harness';

const OUTPUT = join(__dirname, 'last-run-observability.md');

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
  // Metrics switched by instrumenting the container and letting go of it: once per round, not per call.
  const metrics = ServiceMetrics.in();
  let stopMetrics: (() => void) | undefined;
  const metricsOff = () => {
    stopMetrics?.();
    stopMetrics = undefined;
  };
  const metricsOn = () => (stopMetrics ??= metrics.instrument(echo.container));
  // The switches cost a test or two per call, the same in every variant.
  const contenders: Contender[] = [
    { key: 'off', label: 'nothing observed', call: (p) => (tracingEnabled() && tracing.suspend(), metricsOff(), echo.call(p)), problems: () => [] },
    { key: 'tracing', label: 'tracing on (always-on sampler)', call: (p) => (tracingEnabled() || tracing.resume(), metricsOff(), echo.call(p)), problems: () => [] },
    { key: 'metrics', label: 'metrics on (workers and client calls)', call: (p) => (tracingEnabled() && tracing.suspend(), metricsOn(), echo.call(p)), problems: () => [] },
  ];
  const modes = [{ mode: 'in-flight', inFlight: config.inFlight, title: `${config.inFlight} in flight` }];
  const rounds = await runRounds(ctx, contenders, modes);
  tracing.suspend();
  metricsOff();

  const runs = (key: string): Stats[] => rounds['in-flight']![key]!;
  const med = (key: string, pick: (s: Stats) => number): number => median(runs(key).map(pick));
  const cps = (s: Stats): number => s.callsPerSec;
  const lines: string[] = [];
  lines.push(`### RPC with nothing observed, tracing on, metrics on: shimeji echo — ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}`);
  lines.push('');
  lines.push(`${machineLine('?', config.uri)}  `);
  lines.push(
    `Echo of a ${payloadBytes()}-byte JSON object through ServiceContainer + ClusterRpcClient, ${config.inFlight} in flight; ` +
      `${config.rounds} interleaved rounds of ${config.roundMs} ms per variant after ${config.warmupMs} ms warm-up. ` +
      `Tracing on: alwaysOnSampler, BatchSpanProcessor, spans dropped by the exporter. Metrics on: ServiceMetrics on the ` +
      `container (a counter and a histogram per worker) and the client's calls timed (a histogram per call). Medians across rounds.`,
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
  for (const key of ['tracing', 'metrics']) {
    lines.push(`Per-round calls/s, ${key} / off: ${runs(key).map((s, i) => ratio(s.callsPerSec / runs('off')[i]!.callsPerSec)).join(', ')}  `);
  }
  const markdown = lines.join('\n');
  process.stdout.write(`${markdown}\n`);
  writeFileSync(OUTPUT, `${markdown}\n`);
  log(`written to ${OUTPUT}`);
});
