// A service's readiness says when its database does not answer: its database killed, `GET /ready`
// goes 503 naming the database, and 200 again once it is back. On a PostgreSQL cluster of the
// test's own: the run's shared server is never stopped.
import { randomUUID } from 'node:crypto';
import { inject, rpc, service, ServiceRunner } from '@platform/shimeji';
import { eventually, testBrokerUri } from '@platform/shimeji/testing';
import { Database } from '../../src';
import { type OwnPostgres, startOwnPostgres } from '../../src/testing';

const NAME = `readiness_${randomUUID().slice(0, 6)}`;

@service(NAME)
class Notes {
  db = inject(new Database({}, { migrations: [], urlKey: 'NOTES_DATABASE_URL' }));

  @rpc async ping() {
    return 'pong';
  }
}

describe('a service’s readiness when its database goes away', () => {
  let postgres: OwnPostgres;
  let runner: ServiceRunner;

  beforeAll(async () => {
    postgres = await startOwnPostgres();
    runner = new ServiceRunner({ AMQP_URI: testBrokerUri(), NOTES_DATABASE_URL: postgres.url('notes'), METRICS_PORT: 0, logLevel: 'silent' });
    runner.addService(Notes);
    await runner.start();
  }, 60_000);
  afterAll(async () => {
    await runner?.stop();
    postgres?.remove();
  }, 30_000);

  const ready = async () => {
    const res = await fetch(runner.metricsUrl!.replace('/metrics', '/ready'));
    return { status: res.status, body: await res.json() };
  };

  it('is ready while the database answers, not ready naming it while it is down, and ready again once it is back', async () => {
    await expect(ready()).resolves.toEqual({ status: 200, body: { status: 'ready', services: { [NAME]: true } } });
    postgres.kill();
    await expect(eventually('readiness to go red', async () => ((await ready()).status === 503 ? ready() : undefined), 15_000)).resolves.toEqual({
      status: 503,
      body: { status: 'not ready', services: { [NAME]: false }, unhealthy: { [NAME]: ['database'] } },
    });
    const health = await fetch(runner.metricsUrl!.replace('/metrics', '/health'));
    expect(health.status).toBe(200);
    postgres.start();
    await eventually('readiness to come back', async () => ((await ready()).status === 200 ? true : undefined), 20_000);
  }, 60_000);
});
