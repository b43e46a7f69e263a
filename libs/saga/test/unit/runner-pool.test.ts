// A started runner keeps its sagas going side by side: one waiting on a slow step does not hold
// up the others, which are claimed as each slot frees up; a kick runs a new saga without a poll.
import { createLogger } from '@platform/shimeji';
import { eventually } from '@platform/shimeji/testing';
import type { Knex } from 'knex';
import { getSaga, insertSaga, saga, SagaRunner } from '../../src';
import { fakeStepCaller, sagaTestDatabase } from '../../src/testing';

const oneStep = saga<{ n: number }>('one_step')
  .remoteStep('work')
  .onExecute('svc', 'work', (c) => [c.n])
  .commit();

describe('a started runner', () => {
  let knex: Knex;
  let runner: SagaRunner;
  beforeAll(async () => {
    knex = await sagaTestDatabase();
  });
  afterAll(async () => {
    await runner?.stop();
    await knex?.destroy();
  });

  it('completes quick sagas while another waits on a slow step, and runs a kicked one without waiting for a poll', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const call = fakeStepCaller({ 'svc.work': async ([n]) => (n === 0 ? held : null) });
    runner = new SagaRunner({ knex, definitions: [oneStep], call, concurrency: 2, pollMs: 60_000, logger: createLogger('silent') });
    const slow = await insertSaga(knex, oneStep.name, { n: 0 });
    const quick = [await insertSaga(knex, oneStep.name, { n: 1 }), await insertSaga(knex, oneStep.name, { n: 2 }), await insertSaga(knex, oneStep.name, { n: 3 })];
    runner.start();
    const statuses = async () => Promise.all(quick.map(async (id) => (await getSaga(knex, id))!.status));
    await eventually('the quick sagas to complete', async () => ((await statuses()).every((s) => s === 'completed') ? true : undefined), 15_000);
    expect((await getSaga(knex, slow))!.status).toBe('running');

    const kicked = await insertSaga(knex, oneStep.name, { n: 4 });
    runner.kick();
    await eventually('the kicked saga to complete', async () => ((await getSaga(knex, kicked))!.status === 'completed' ? true : undefined), 15_000);
    release();
    await eventually('the slow saga to complete', async () => ((await getSaga(knex, slow))!.status === 'completed' ? true : undefined), 15_000);
  });
});
