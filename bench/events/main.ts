// `npm run bench:events`: events per second through shimeji for each delivery mode (service
// pool, singleton, broadcast to two instances), end to end (dispatch → handler ran), against
// hand-written amqplib baselines, in one process, against one broker, rounds interleaved.
// See bench/README.md for what and why.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HandlerType } from '@platform/shimeji';
import type { Payload } from '../rpc/payload';
import { payloadBytes } from '../rpc/payload';
import { type Contender, log, machineLine, runBenchmark, runRounds } from '../shared/harness';
import { type EventRow, renderEventsReport } from './report';
import { startRawEvents } from './raw-events';
import { ShimejiEvents } from './shimeji-events';
import { DeliveryTracker } from './tracker';

const OUTPUT = join(__dirname, 'last-run.md');
/** After the last run: time for a late duplicate to show up before the counts are final. */
const SETTLE_MS = 1000;

interface EventContender extends Contender, EventRow {
  tracker: DeliveryTracker;
  dispatched: number;
}

function contender(row: EventRow, tracker: DeliveryTracker, dispatch: (payload: Payload) => Promise<void>): EventContender {
  const self: EventContender = {
    ...row,
    tracker,
    dispatched: 0,
    problems: () => tracker.problems,
    call: async (payload) => {
      // Waiting first, so a handler quicker than the confirm still finds its event expected.
      const handled = tracker.expect(payload);
      self.dispatched++;
      await dispatch(payload);
      return handled;
    },
  };
  return self;
}

runBenchmark(async (ctx) => {
  const { config, runId, cleanup } = ctx;
  const startedAt = new Date();
  const common = {
    uri: config.uri,
    runId,
    prefetch: config.prefetch,
    onQueue: (q: string) => cleanup.addQueue(q),
    onExchange: (e: string) => cleanup.addExchange(e),
  };
  const contenders: EventContender[] = [];

  const rawTracker = new DeliveryTracker('raw amqplib', 1);
  const raw = await startRawEvents({ ...common, name: 'raw', transient: false, tracker: rawTracker });
  cleanup.addCloser(() => raw.close());
  // Compared with broadcast, whose per-instance queues are transient: so are these.
  const fanTracker = new DeliveryTracker('raw amqplib, 2 transient queues', 2);
  const fan = await startRawEvents({ ...common, name: 'raw2', transient: true, tracker: fanTracker });
  cleanup.addCloser(() => fan.close());
  contenders.push(
    contender({ key: 'raw', label: 'raw amqplib', mode: 'one durable queue', dispatch: 'confirm channel', consumers: 1 }, rawTracker, raw.dispatch),
    contender(
      { key: 'raw2', label: 'raw amqplib, 2 transient queues', mode: 'fan-out to 2 queues', dispatch: 'confirm channel', consumers: 2 },
      fanTracker,
      fan.dispatch,
    ),
  );

  const shimeji = await ShimejiEvents.start({ ...common, maxWorkers: config.prefetch, onCloser: (c) => cleanup.addCloser(c) });
  const modes: { key: string; handlerType: HandlerType; mode: string; consumers: number }[] = [
    { key: 'pool', handlerType: 'service_pool', mode: 'service pool', consumers: 1 },
    { key: 'singleton', handlerType: 'singleton', mode: 'singleton', consumers: 1 },
    { key: 'broadcast', handlerType: 'broadcast', mode: 'broadcast, 2 instances', consumers: 2 },
  ];
  for (const m of modes) {
    const label = `shimeji ${m.mode}`;
    const tracker = new DeliveryTracker(label, m.consumers);
    // A source service of its own per mode: each listener must get only its own events.
    const source = `bench_evsrc_${m.key}_${runId}`;
    await shimeji.listen(source, `bench_ev${m.key}_${runId}`, m.handlerType, tracker);
    contenders.push(
      contender({ key: m.key, label, mode: m.mode, dispatch: 'ClusterEventDispatcher', consumers: m.consumers }, tracker, shimeji.dispatcherFor(source)),
    );
  }
  const emitterName = `bench_evemit_${runId}`;
  const workerTracker = new DeliveryTracker('shimeji service pool, from a worker', 1);
  await shimeji.listen(emitterName, `bench_evwpool_${runId}`, 'service_pool', workerTracker);
  contenders.push(
    contender(
      { key: 'poolWorker', label: 'shimeji service pool, from a worker', mode: 'service pool', dispatch: 'EventDispatcher in a worker', consumers: 1 },
      workerTracker,
      await shimeji.emitter(emitterName),
    ),
  );

  const loadMode = { mode: 'in-flight', inFlight: config.inFlight };
  const rounds = await runRounds(ctx, contenders, [loadMode]);

  await sleep(SETTLE_MS);
  const problems = contenders.flatMap((c) => c.tracker.verify(c.dispatched));
  if (problems.length > 0) throw new Error(`delivery check failed:\n  ${problems.slice(0, 20).join('\n  ')}`);
  const handlerRuns = contenders.reduce((sum, c) => sum + c.tracker.deliveries.reduce((a, b) => a + b, 0), 0);
  const events = contenders.reduce((sum, c) => sum + c.dispatched, 0);

  const markdown = renderEventsReport({
    startedAt,
    environment: machineLine(raw.serverVersion, config.uri),
    settings:
      `Events of a ${payloadBytes()}-byte JSON object, ${config.inFlight} in flight (each lane dispatches, waits for the ` +
      `broker's confirm and for every expected handler, then dispatches the next); ${config.rounds} interleaved rounds ` +
      `of ${config.roundMs} ms per row after ${config.warmupMs} ms warm-up; prefetch ${config.prefetch} ` +
      `(shimeji: maxWorkers); persistent events, publisher confirms and manual acks everywhere; TCP_NODELAY on every ` +
      `connection. Medians across rounds. Node CPU: user+system time of this process (dispatcher and listeners) ` +
      `per event dispatched, charged to the row running.`,
    check:
      `Checked: every one of the ${events.toLocaleString('en-US')} events dispatched (warm-up included) was handled ` +
      `exactly once by each of its consumers (${handlerRuns.toLocaleString('en-US')} handler runs), with the body ` +
      `sent, and nothing else was delivered, ${SETTLE_MS} ms after the last run.`,
    rows: contenders,
    runs: rounds[loadMode.mode]!,
    baselines: { 1: 'raw', 2: 'raw2' },
  });
  process.stdout.write(`${markdown}\n`);
  writeFileSync(OUTPUT, `${markdown}\n`);
  log(`written to ${OUTPUT}`);
});
