// Two runners (two instances of a service) on one PostgreSQL database: every saga step runs once,
// never two at once, though both take sagas from the same table; a step outlasting the lease is
// kept from the other runner by the lease's renewal.
import { createLogger } from '@platform/shimeji';
import { testDatabaseUrl } from '@platform/db/testing';
import type { Knex } from 'knex';
import { insertSaga, listSagas, saga, SagaRunner } from '../../src';
import { fakeStepCaller, type Fakes, sagaTestDatabase } from '../../src/testing';

const LEASE_MS = 600;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const threeSteps = saga<{ n: number }>('three_steps')
  .remoteStep('one')
  .onExecute('svc', 'one', (c) => [c.n])
  .remoteStep('slow')
  .onExecute('svc', 'slow', (c) => [c.n])
  .remoteStep('three')
  .onExecute('svc', 'three', (c) => [c.n])
  .commit();

describe('two runners on one database', () => {
  let knex: Knex;
  const runners: SagaRunner[] = [];
  beforeAll(async () => {
    knex = await sagaTestDatabase(testDatabaseUrl('saga_two_runners'));
  }, 30_000);
  afterAll(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    await knex?.destroy();
  });

  it('never run the same saga step at once, and run each step once', async () => {
    const inFlight = new Map<string, number>();
    const overlaps: string[] = [];
    const done: string[] = [];
    const byRunner = new Map<string, Set<string>>();
    const fakeFor =
      (runner: string, ms: number) =>
      async (_args: unknown[], call: { sagaId: string; step: string }) => {
        const key = `${call.sagaId}:${call.step}`;
        if (inFlight.get(call.sagaId)) overlaps.push(key);
        inFlight.set(call.sagaId, (inFlight.get(call.sagaId) ?? 0) + 1);
        byRunner.set(runner, (byRunner.get(runner) ?? new Set()).add(call.sagaId));
        await sleep(ms);
        inFlight.set(call.sagaId, inFlight.get(call.sagaId)! - 1);
        done.push(key);
        return null;
      };
    const fakes = (runner: string): Fakes => ({ 'svc.one': fakeFor(runner, 20), 'svc.slow': fakeFor(runner, LEASE_MS * 2.5), 'svc.three': fakeFor(runner, 20) });
    const ids: string[] = [];
    for (let n = 0; n < 8; n++) ids.push(await insertSaga(knex, threeSteps.name, { n }));
    for (const name of ['a', 'b']) {
      const runner = new SagaRunner({
        knex,
        definitions: [threeSteps],
        call: fakeStepCaller(fakes(name)),
        owner: name,
        leaseMs: LEASE_MS,
        pollMs: 50,
        concurrency: 2,
        logger: createLogger('silent'),
      });
      runners.push(runner);
      runner.start();
    }
    const deadline = Date.now() + 60_000;
    while ((await listSagas(knex, { status: 'completed' })).length < ids.length && Date.now() < deadline) await sleep(100);

    expect((await listSagas(knex)).map((s) => s.status)).toEqual(ids.map(() => 'completed'));
    expect(overlaps).toEqual([]);
    expect([...done].sort()).toEqual(ids.flatMap((id) => [`${id}:one`, `${id}:slow`, `${id}:three`]).sort());
    // Both took part: each worked on sagas of its own, and no saga moved from one to the other.
    expect(byRunner.get('a')?.size).toBeGreaterThan(0);
    expect(byRunner.get('b')?.size).toBeGreaterThan(0);
    expect(byRunner.get('a')!.size + byRunner.get('b')!.size).toBe(ids.length);
  }, 90_000);
});
