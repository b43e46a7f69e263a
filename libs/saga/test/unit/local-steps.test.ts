// Local steps write in the saga's own database, in the transaction that records them done.
import type { Knex } from 'knex';
import { saga } from '../../src';
import { runSagaWithFakes, sagaTestDatabase } from '../../src/testing';

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
