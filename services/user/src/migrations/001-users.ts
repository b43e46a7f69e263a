import type { Migration } from '@platform/db';

export const createUsers: Migration = {
  name: '001_users',
  up: async (knex) => {
    await knex.schema.createTable('users', (t) => {
      t.uuid('id').primary();
      t.string('email', 254).notNullable().unique(); // stored lower-case: unique regardless of case
      t.string('name', 100).notNullable();
      t.string('role', 20).notNullable();
      t.string('status', 20).notNullable();
      t.text('password_hash').notNullable();
      t.integer('version').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
    await knex.schema.createTable('user_status_changes', (t) => {
      t.bigIncrements('id');
      t.uuid('user_id').notNullable().references('users.id');
      t.string('change', 40).notNullable();
      t.string('reason', 500).nullable();
      t.uuid('actor_id').nullable();
      t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.index(['user_id']);
    });
  },
  down: async (knex) => {
    await knex.schema.dropTable('user_status_changes');
    await knex.schema.dropTable('users');
  },
};
