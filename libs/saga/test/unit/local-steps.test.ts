// Local steps write in the saga's own database, in the transaction that records them done; a
// saga of a release this runner does not know is left for one that does.
import { createLogger } from '@platform/shimeji';
import type { Knex } from 'knex';
import { getSaga, insertSaga, saga, SagaRunner, SAGAS_TABLE } from '../../src';
import { fakeStepCaller, runSagaWithFakes, sagaTestDatabase, settle } from '../../src/testing';

let knex: Knex;
beforeAll(async () => {
  knex = await sagaTestDatabase();
  await knex.schema.createTable('notes', (t) => {
    t.string('saga_id');
    t.string('text');
  });
});
afterAll(() => knex.destroy());

const notes = (sagaId: string) => knex('notes').where({ saga_id: sagaId }).orderBy('text').pluck('text');

const withLocalSteps = (failAtEnd: boolean) =>
  saga<{ n: number }>('local_steps')
    .localStep('write')
    .onExecute(async ({ trx, sagaId, context }) => {
      await trx('notes').insert({ saga_id: sagaId, text: `written ${context.n}` });
      return { n: context.n + 1 };
    })
    .compensate(async ({ trx, sagaId }) => {
      await trx('notes').insert({ saga_id: sagaId, text: 'undone' });
    })
    .localStep('half_write_then_fail')
    .onExecute(async ({ trx, sagaId }) => {
      await trx('notes').insert({ saga_id: sagaId, text: 'never committed' });
      if (failAtEnd) throw new Error('changed my mind');
    })
    .commit();

describe('local steps', () => {
  it('commit their writes and merge what they return into the context', async () => {
    const { saga: state } = await runSagaWithFakes(withLocalSteps(false), { n: 1 }, {}, { knex });
    expect(state.status).toBe('completed');
    expect(state.context).toEqual({ n: 2 });
    expect(await notes(state.id)).toEqual(['never committed', 'written 1']);
  });

  it('leave nothing written when they fail, and the steps before them are compensated in their own transaction', async () => {
    const { saga: state } = await runSagaWithFakes(withLocalSteps(true), { n: 1 }, {}, { knex });
    expect(state.status).toBe('compensated');
    expect(state.failure).toBe('step half_write_then_fail failed: Error: changed my mind');
    expect(await notes(state.id)).toEqual(['undone', 'written 1']);
  });
});

describe('a saga the runner has no definition for', () => {
  it('is left running, untouched, for a runner that knows it', async () => {
    const id = await insertSaga(knex, 'from_a_newer_release', { n: 1 });
    const other = saga<{ n: number }>('something_else').localStep('x').onExecute(() => undefined).commit();
    const unaware = new SagaRunner({ knex, definitions: [other], call: fakeStepCaller({}), logger: createLogger('silent'), pollMs: 10 });
    await unaware.drain();
    expect(await getSaga(knex, id)).toMatchObject({ status: 'running', cursor: 0, steps: [], leaseOwner: null });
    const newer = saga<{ n: number }>('from_a_newer_release').localStep('x').onExecute(() => ({ n: 2 })).commit();
    await knex(SAGAS_TABLE).where({ id }).update({ next_attempt_at: knex.fn.now() });
    const aware = new SagaRunner({ knex, definitions: [newer], call: fakeStepCaller({}), logger: createLogger('silent') });
    expect(await settle(aware, knex, id)).toMatchObject({ status: 'completed', context: { n: 2 } });
  });
});
