// What a service process's /metrics says after a known set of calls, on the real broker and
// PostgreSQL: events dispatched through the outbox, handled, retried and dead-lettered; the outbox
// emptied; workers against maxWorkers; the database pool's connections.
import { randomUUID } from 'node:crypto';
import { type Dispatch, eventHandler, inject, rpc, service, ServiceRunner } from '@platform/shimeji';
import { eventually, rpcClientFactory, testBrokerUri } from '@platform/shimeji/testing';
import { Database, OutboxDispatcher } from '../../src';
import { testDatabaseUrl } from '../../src/testing';

const SOURCE = `notes_${randomUUID().slice(0, 6)}`;
const LISTENER = `${SOURCE}_reader`;

@service(SOURCE)
class Notes {
  db = inject(new Database({}, { migrations: [], urlKey: 'NOTES_DATABASE_URL' }));
  dispatch: Dispatch = inject(new OutboxDispatcher(this.db));

  @rpc async note(text: string) {
    this.dispatch('noted', { text });
    return text;
  }
}

@service(LISTENER)
class Reader {
  @eventHandler(SOURCE, 'noted', { requeueOnError: true })
  async read(payload: { text: string }) {
    if (payload.text === 'unreadable') throw new Error('cannot read this one');
  }
}

/** The samples of one metric in Prometheus's text format, keyed by their labels in alphabetical order. */
function samplesOf(text: string, name: string): Record<string, number> {
  const found: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`).exec(line);
    if (match) found[match[1]!.split(',').sort().join(',')] = Number(match[2]);
  }
  return found;
}

describe('a service process’s metrics after a known set of calls', () => {
  let runner: ServiceRunner;
  const clients = rpcClientFactory({ uri: testBrokerUri(), timeoutMs: 20_000 });

  beforeAll(async () => {
    runner = new ServiceRunner({
      AMQP_URI: testBrokerUri(),
      NOTES_DATABASE_URL: testDatabaseUrl('metrics_notes'),
      METRICS_PORT: 0,
      logLevel: 'silent',
      maxWorkers: 7,
      eventRetrySchedule: '50ms',
      eventMaxAttempts: 2,
    });
    runner.addService(Notes);
    runner.addService(Reader);
    await runner.start();
  }, 60_000);
  afterAll(async () => {
    await runner?.stop();
  });

  it('counts the events dispatched, handled, retried and dead-lettered, and shows the outbox emptied and the pool', async () => {
    const client = await clients();
    for (const text of ['one', 'two', 'unreadable']) await client.call(SOURCE, 'note', [text]);
    const scrape = async () => (await fetch(runner.metricsUrl!)).text();
    const text = await eventually('the unreadable event to be dead-lettered', async () => {
      const now = await scrape();
      return Object.keys(samplesOf(now, 'shimeji_events_dead_lettered_total')).length > 0 ? now : undefined;
    }, 20_000);

    const event = `handler="read",service="${LISTENER}",source="${SOURCE}",type="noted"`;
    expect(samplesOf(text, 'shimeji_events_dispatched_total')).toEqual({ [`service="${SOURCE}",type="noted"`]: 3 });
    expect(samplesOf(text, 'shimeji_events_retried_total')).toEqual({ [event]: 1 });
    expect(samplesOf(text, 'shimeji_events_dead_lettered_total')).toEqual({ [event]: 1 });
    expect(samplesOf(text, 'shimeji_worker_total')).toMatchObject({
      [`entrypoint="read",kind="event",outcome="ok",service="${LISTENER}"`]: 2,
      [`entrypoint="read",kind="event",outcome="error",service="${LISTENER}"`]: 2,
    });
    expect(samplesOf(text, 'shimeji_workers_max')).toEqual({ [`service="${SOURCE}"`]: 7, [`service="${LISTENER}"`]: 7 });
    expect(samplesOf(text, 'shimeji_outbox_waiting')).toEqual({ [`service="${SOURCE}"`]: 0 });
    expect(samplesOf(text, 'shimeji_outbox_oldest_age_seconds')).toEqual({ [`service="${SOURCE}"`]: 0 });
    const pool = samplesOf(text, 'shimeji_db_pool_connections');
    expect(Object.keys(pool).sort()).toEqual([`service="${SOURCE}",state="free"`, `service="${SOURCE}",state="pending"`, `service="${SOURCE}",state="used"`]);
    expect(pool[`service="${SOURCE}",state="pending"`]).toBe(0);
  }, 60_000);
});
