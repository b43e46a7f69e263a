// The tables the plumbing itself needs in every service's database, migrated apart from the
// service's own (their own migrations table), so neither history depends on the other.
import type { Migration } from './migrations';

export const OUTBOX_TABLE = 'shimeji_outbox';
export const PROCESSED_TABLE = 'shimeji_processed_messages';
export const FRAMEWORK_MIGRATIONS_TABLE = 'shimeji_db_migrations';
export const IDEMPOTENT_CALLS_TABLE = 'shimeji_idempotent_calls';

export const frameworkMigrations: Migration[] = [
  {
    name: '001_outbox',
    up: async (knex) => {
      await knex.schema.createTable(OUTBOX_TABLE, (t) => {
        t.uuid('id').primary(); // the event's message id
        t.string('exchange', 255).notNullable();
        t.string('routing_key', 255).notNullable();
        t.text('body').notNullable();
        t.jsonb('headers').notNullable();
        t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        t.timestamp('published_at', { useTz: true }).nullable();
        t.index(['published_at', 'created_at']);
      });
    },
  },
  {
    name: '002_processed_messages',
    up: async (knex) => {
      await knex.schema.createTable(PROCESSED_TABLE, (t) => {
        t.string('message_id', 255).notNullable();
        t.string('consumer', 255).notNullable();
        t.timestamp('processed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        t.primary(['message_id', 'consumer']);
      });
    },
  },
  {
    name: '003_idempotent_calls',
    up: async (knex) => {
      await knex.schema.createTable(IDEMPOTENT_CALLS_TABLE, (t) => {
        t.string('entrypoint', 255).notNullable(); // <service>.<method>
        t.string('key', 512).notNullable(); // the caller's idempotency key, or the request's correlation id
        t.string('fingerprint', 64).notNullable(); // sha256 of the arguments
        t.jsonb('outcome').nullable(); // { result } or { error }, filled in when the call commits
        t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        t.primary(['entrypoint', 'key']);
        t.index(['created_at']);
      });
    },
  },
];
