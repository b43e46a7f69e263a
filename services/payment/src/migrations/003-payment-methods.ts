import type { Migration } from '@platform/db';

export const createPaymentMethods: Migration = {
  name: '003_payment_methods',
  up: async (knex) => {
    // The cards a user added, by the token they added them with: the same token added again
    // (a double click, a retry, two calls at once) finds this row instead of attaching the card
    // a second time. The primary key is what makes concurrent adds attach it once.
    await knex.schema.createTable('payment_methods', (t) => {
      t.uuid('user_id').notNullable();
      t.string('token', 255).notNullable();
      t.string('payment_method_id', 255).notNullable().unique();
      t.string('brand', 50).notNullable();
      t.string('last4', 4).notNullable();
      t.integer('exp_month').notNullable();
      t.integer('exp_year').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.primary(['user_id', 'token']);
    });
  },
  down: async (knex) => {
    await knex.schema.dropTable('payment_methods');
  },
};
