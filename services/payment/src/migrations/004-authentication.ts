import type { Migration } from '@platform/db';

export const addAuthentication: Migration = {
  name: '004_authentication',
  up: async (knex) => {
    // An attempt awaiting 3-D Secure: what the payer's client needs to authenticate (Stripe's
    // client secret and next action, as the Stripe wrapper translates them), and since when, so
    // that an abandoned one can be replaced after PAYMENT_AUTHENTICATION_TIMEOUT.
    await knex.schema.alterTable('transactions', (t) => {
      t.string('client_secret', 500).nullable();
      t.jsonb('next_action').nullable();
      t.timestamp('authentication_started_at', { useTz: true }).nullable();
    });
  },
  down: async (knex) => {
    await knex.schema.alterTable('transactions', (t) => {
      t.dropColumns('client_secret', 'next_action', 'authentication_started_at');
    });
  },
};
