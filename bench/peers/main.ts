// `npm run bench:peers`: RPC echo through shimeji, Moleculer (AMQP transporter) and NestJS
// (RMQ transport), against bench/rpc's hand-written amqplib baseline, in one process, against
// one broker, rounds interleaved. See bench/README.md for what and why.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { payloadBytes } from '../rpc/payload';
import { startRawEcho } from '../rpc/raw-amqplib';
import { startShimejiEcho } from '../rpc/shimeji-echo';
import { type Contender, log, machineLine, runBenchmark, runRounds } from '../shared/harness';
import { startMoleculerEcho } from './moleculer-echo';
import { startNestEcho } from './nest-echo';
import { renderPeersReport } from './report';

const OUTPUT = join(__dirname, 'last-run.md');

runBenchmark(async (ctx) => {
  const { config, runId, cleanup } = ctx;
  const startedAt = new Date();
  const onQueue = (q: string): void => cleanup.addQueue(q);
  const noProblems = (): readonly string[] => [];

  // As a facade calls (direct replies), unless BENCH_SHIMEJI_REPLIES=queue (as services call each other).
  const directReplies = process.env.BENCH_SHIMEJI_REPLIES !== 'queue';
  const shimeji = await startShimejiEcho({
    uri: config.uri,
    runId,
    maxWorkers: config.prefetch,
    onQueue,
    directReplies,
    label: directReplies ? 'shimeji (direct replies)' : 'shimeji (reply queue)',
  });
  cleanup.addCloser(() => shimeji.close());
  const moleculer = await startMoleculerEcho({
    uri: config.uri,
    runId,
    prefetch: config.prefetch,
    onQueue,
    onExchange: (e) => cleanup.addExchange(e),
  });
  cleanup.addCloser(() => moleculer.close());
  const nest = await startNestEcho({ uri: config.uri, runId, prefetch: config.prefetch, onQueue });
  cleanup.addCloser(() => nest.close());
  const raw = await startRawEcho({ uri: config.uri, runId, prefetch: config.prefetch, wire: 'bare', label: 'raw amqplib', onQueue });
  cleanup.addCloser(() => raw.close());

  // shimeji first and the baseline last: the report reads them by position.
  const contenders: Contender[] = [
    { key: 'shimeji', label: shimeji.label, call: (p) => shimeji.call(p), problems: noProblems },
    { key: 'moleculer', label: moleculer.label, call: (p) => moleculer.call(p), problems: noProblems },
    { key: 'nest', label: nest.label, call: (p) => nest.call(p), problems: noProblems },
    { key: 'raw', label: raw.label, call: (p) => raw.call(p), problems: () => raw.problems },
  ];
  const modes = [
    { mode: 'sequential', inFlight: 1, title: 'sequential (1 in flight)' },
    { mode: 'in-flight', inFlight: config.inFlight, title: `${config.inFlight} in flight` },
  ];
  const rounds = await runRounds(ctx, contenders, modes);

  const markdown = renderPeersReport({
    startedAt,
    environment: machineLine(raw.serverVersion, config.uri),
    settings:
      `Echo of a ${payloadBytes()}-byte JSON object; ${config.rounds} interleaved rounds of ${config.roundMs} ms per ` +
      `implementation and mode after ${config.warmupMs} ms warm-up; prefetch ${config.prefetch} everywhere ` +
      `(shimeji: maxWorkers); TCP_NODELAY on every connection; persistent requests. ` +
      `Medians across rounds; every reply checked against its request. ` +
      `Node CPU: user+system time of this process (callers and servers) per call, charged to the implementation running.`,
    modes,
    contenders,
    rounds,
    targetMode: 'in-flight',
  });
  process.stdout.write(`${markdown}\n`);
  writeFileSync(OUTPUT, `${markdown}\n`);
  log(`written to ${OUTPUT}`);
});
