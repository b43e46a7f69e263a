import type { Migration } from '@platform/db';

export const createCustomers: Migration = {
  name: '001_customers',
  up: async (knex) => {
    // A user of the platform as Stripe knows them: created on their first payment method.
    await knex.schema.createTable('customers', (t) => {
      t.uuid('user_id').primary();
      t.string('stripe_customer_id', 255).notNullable().unique();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
  },
  down: async (knex) => {
    await knex.schema.dropTable('customers');
  },
};
