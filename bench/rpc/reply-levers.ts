// `npm run reply-levers` (in bench/): shimeji RPC echo with each reply lever off and on, in one
// process, against one broker, rounds interleaved. The levers (libs/shimeji/src/rpc.ts
// ReplyLevers) only change how a reply goes out; requests stay persistent and confirmed, and are
// acked only after their reply was written. Every variant is the same service code, so the
// ratios against A are the levers' effect and nothing else.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RpcConsumer } from '@platform/shimeji';
import { median } from './measure';
import { payloadBytes } from './payload';
import { startShimejiEcho } from './shimeji-echo';
import { type Contender, int, log, machineLine, ms, ratio, runBenchmark, runRounds, type Stats } from '../shared/harness';
import * as amqp from 'amqplib';

const OUTPUT = join(__dirname, 'last-run-reply-levers.md');

type Levers = RpcConsumer['replyLevers'];

const VARIANTS: { key: string; label: string; levers: Levers }[] = [
  { key: 'A', label: 'A persistent + confirm (before)', levers: { transient: false, waitForConfirm: true, literalProperties: false } },
  { key: 'B', label: 'B transient', levers: { transient: true, waitForConfirm: true, literalProperties: false } },
  { key: 'C', label: 'C no confirm wait', levers: { transient: false, waitForConfirm: false, literalProperties: false } },
  { key: 'D', label: 'D transient + no confirm wait', levers: { transient: true, waitForConfirm: false, literalProperties: false } },
  { key: 'E', label: 'E D + literal properties', levers: { transient: true, waitForConfirm: false, literalProperties: true } },
];

async function brokerVersion(uri: string): Promise<string> {
  const connection = await amqp.connect(uri, { noDelay: true });
  const version = String((connection.connection as unknown as { serverProperties?: { version?: unknown } }).serverProperties?.version ?? '?');
  await connection.close();
  return version;
}

runBenchmark(async (ctx) => {
  const { config, runId, cleanup } = ctx;
  const startedAt = new Date();
  const contenders: Contender[] = [];
  // BENCH_VARIANTS=A,B,D runs only those (A always first: the ratios are against it), so two
  // close variants can get more rounds in the same time.
  const wanted = (process.env.BENCH_VARIANTS ?? '').split(',').map((v) => v.trim().toUpperCase()).filter(Boolean);
  const variants = wanted.length === 0 ? VARIANTS : VARIANTS.filter((v) => v.key === 'A' || wanted.includes(v.key));
  for (const variant of variants) {
    const echo = await startShimejiEcho({
      uri: config.uri,
      runId: `${runId}_${variant.key.toLowerCase()}`,
      maxWorkers: config.prefetch,
      onQueue: (q) => cleanup.addQueue(q),
      replyLevers: variant.levers,
      label: variant.label,
    });
    cleanup.addCloser(() => echo.close());
    contenders.push({ key: variant.key, label: variant.label, call: (p) => echo.call(p), problems: () => [] });
  }
  const modes = [
    { mode: 'sequential', inFlight: 1, title: 'sequential (1 in flight)' },
    { mode: 'in-flight', inFlight: config.inFlight, title: `${config.inFlight} in flight` },
  ];
  const rounds = await runRounds(ctx, contenders, modes);

  const runs = (mode: string, key: string): Stats[] => rounds[mode]![key]!;
  const med = (mode: string, key: string, pick: (s: Stats) => number): number => median(runs(mode, key).map(pick));
  const cps = (s: Stats): number => s.callsPerSec;
  const base = contenders[0]!;
  const lines: string[] = [];
  lines.push(`### RPC reply levers: shimeji echo, ${contenders.map((c) => c.key).join('/')} — ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}`);
  lines.push('');
  lines.push(`${machineLine(await brokerVersion(config.uri), config.uri)}  `);
  lines.push(
    `Echo of a ${payloadBytes()}-byte JSON object through ServiceContainer + ClusterRpcClient; ${config.rounds} interleaved ` +
      `rounds of ${config.roundMs} ms per variant and mode after ${config.warmupMs} ms warm-up; maxWorkers ${config.prefetch}. ` +
      `Requests persistent and confirmed in every variant; only the reply differs. Medians across rounds; every reply checked. ` +
      `Node CPU: this process (caller and service) per call; broker CPU: beam.smp per call (counts every client of the broker).`,
  );
  lines.push('');
  lines.push('| Mode | Variant | calls/s (median) | calls/s (min–max) | calls/s / A | p50 ms | p50 / A | p99 ms | Node CPU µs/call | Node CPU / A | broker CPU µs/call | broker CPU / A | calls checked |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const { mode, title } of modes) {
    for (const c of contenders) {
      const values = runs(mode, c.key).map(cps);
      const rel = (pick: (s: Stats) => number): string => ratio(med(mode, c.key, pick) / med(mode, base.key, pick));
      lines.push(
        `| ${title} | ${c.label} | ${int(median(values))} | ${int(Math.min(...values))}–${int(Math.max(...values))} | ${rel(cps)} | ` +
          `${ms(med(mode, c.key, (s) => s.p50Ms))} | ${rel((s) => s.p50Ms)} | ${ms(med(mode, c.key, (s) => s.p99Ms))} | ` +
          `${int(med(mode, c.key, (s) => s.cpuMicrosPerCall))} | ${rel((s) => s.cpuMicrosPerCall)} | ` +
          `${int(med(mode, c.key, (s) => s.brokerMicrosPerCall))} | ${rel((s) => s.brokerMicrosPerCall)} | ` +
          `${int(runs(mode, c.key).reduce((sum, s) => sum + s.calls, 0))} |`,
      );
    }
  }
  lines.push('');
  lines.push('Per-round calls/s ratios against A (same round):  ');
  for (const c of contenders.slice(1)) {
    const perMode = modes.map(({ mode, title }) => {
      const a = runs(mode, base.key);
      return `${title} ${runs(mode, c.key).map((s, i) => ratio(s.callsPerSec / a[i]!.callsPerSec)).join(', ')}`;
    });
    lines.push(`${c.key} / A: ${perMode.join('; ')}  `);
  }
  const markdown = lines.join('\n');
  process.stdout.write(`${markdown}\n`);
  writeFileSync(OUTPUT, `${markdown}\n`);
  log(`written to ${OUTPUT}`);
});
