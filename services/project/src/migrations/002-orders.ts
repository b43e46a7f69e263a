import type { Migration } from '@platform/db';

export const createOrders: Migration = {
  name: '002_orders',
  up: async (knex) => {
    await knex.schema.createTable('orders', (t) => {
      t.uuid('id').primary();
      t.uuid('project_id').notNullable().references('projects.id');
      t.string('description', 500).notNullable();
      t.bigInteger('amount').notNullable(); // minor units (cents): money is never a float
      t.specificType('currency', 'char(3)').notNullable();
      t.string('status', 20).notNullable();
      t.uuid('placed_by').notNullable();
      t.integer('version').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.index(['project_id', 'created_at']);
    });
    await knex.raw('ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0)');
    // Who moved an order to which status and why: payment's refund reason has nowhere else to go.
    await knex.schema.createTable('order_status_changes', (t) => {
      t.bigIncrements('id');
      t.uuid('order_id').notNullable().references('orders.id');
      t.string('status', 20).notNullable();
      t.uuid('actor_id').nullable();
      t.string('reason', 500).nullable();
      t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.index(['order_id']);
    });
  },
  down: async (knex) => {
    await knex.schema.dropTable('order_status_changes');
    await knex.schema.dropTable('orders');
  },
};
