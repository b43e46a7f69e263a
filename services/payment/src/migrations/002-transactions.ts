import type { Migration } from '@platform/db';

export const createTransactions: Migration = {
  name: '002_transactions',
  up: async (knex) => {
    // One per order, opened when the order is placed; what it charges is copied from the order.
    await knex.schema.createTable('transactions', (t) => {
      t.uuid('id').primary();
      t.uuid('order_id').notNullable().unique();
      t.uuid('project_id').notNullable();
      t.string('project_name', 200).notNullable();
      t.string('description', 500).notNullable();
      t.bigInteger('amount').notNullable(); // minor units (cents): money is never a float
      t.specificType('currency', 'char(3)').notNullable();
      t.string('state', 20).notNullable();
      // Each attempt to pay has its own number, and so its own idempotency key at Stripe.
      t.integer('attempt').notNullable().defaultTo(0);
      t.uuid('paid_by').nullable();
      t.string('payment_method_id', 255).nullable();
      t.string('stripe_customer_id', 255).nullable();
      t.string('payment_intent_id', 255).nullable().unique();
      t.string('failure_reason', 500).nullable();
      t.integer('version').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
    await knex.raw('ALTER TABLE transactions ADD CONSTRAINT transactions_amount_positive CHECK (amount > 0)');
    await knex.raw('ALTER TABLE transactions ADD CONSTRAINT transactions_attempt_not_negative CHECK (attempt >= 0)');
    // A transaction is refunded once, in full: who asked, why, and Stripe's refund.
    await knex.schema.createTable('refunds', (t) => {
      t.uuid('id').primary();
      t.uuid('transaction_id').notNullable().unique().references('transactions.id');
      t.string('stripe_refund_id', 255).notNullable().unique();
      t.bigInteger('amount').notNullable();
      t.specificType('currency', 'char(3)').notNullable();
      t.string('reason', 500).notNullable();
      t.uuid('actor_id').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
  },
  down: async (knex) => {
    await knex.schema.dropTable('refunds');
    await knex.schema.dropTable('transactions');
  },
};
