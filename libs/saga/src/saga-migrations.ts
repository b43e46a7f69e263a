// The sagas' own table in the orchestrating service's database, migrated with libs/db's
// framework tables (Database.addFrameworkMigrations) and recorded in a migrations table of its
// own, so neither history depends on the other or on the service's.
import type { Migration } from '@platform/db';

export const SAGAS_TABLE = 'shimeji_sagas';
export const SAGA_MIGRATIONS_TABLE = 'shimeji_saga_migrations';

export const sagaMigrations: Migration[] = [
  {
    name: '001_sagas',
    up: async (knex) => {
      await knex.schema.createTable(SAGAS_TABLE, (t) => {
        t.uuid('id').primary();
        t.string('name', 255).notNullable();
        // running, compensating (being worked on); completed, compensated, stuck (over)
        t.string('status', 32).notNullable();
        // running: the next step to execute; compensating: the next step to undo (going down)
        t.integer('cursor').notNullable().defaultTo(0);
        t.jsonb('context').notNullable();
        t.jsonb('steps').notNullable(); // per step and phase: status, attempts, timings, last error
        t.text('failure').nullable(); // why compensation began
        t.text('stuck_reason').nullable();
        t.integer('attempts').notNullable().defaultTo(0); // failed tries of the action at the cursor
        t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        // Which runner works on it, until when: a runner that dies lets go when its lease runs out.
        t.string('lease_owner', 255).nullable();
        t.timestamp('lease_until', { useTz: true }).nullable();
        t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        t.timestamp('finished_at', { useTz: true }).nullable();
        t.index(['status', 'next_attempt_at']);
        t.index(['created_at']);
      });
    },
  },
];
