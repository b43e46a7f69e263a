import type { Migration } from '@platform/db';

export const createMessages: Migration = {
  name: '001_messages',
  up: async (knex) => {
    await knex.schema.createTable('messages', (t) => {
      t.uuid('id').primary(); // also the email's Message-ID: <id@sender's domain>
      t.string('kind', 40).notNullable();
      // What the email is about, once: the user, the order, the project and member. Null for a
      // resend, which may happen any number of times.
      t.string('source_key', 255).nullable();
      t.uuid('recipient_id').notNullable();
      t.string('recipient_email', 254).notNullable();
      t.text('subject').notNullable();
      t.uuid('order_id').nullable();
      t.uuid('project_id').nullable();
      t.jsonb('data').notNullable(); // what the template was given: enough to render the email again
      t.string('status', 20).notNullable();
      t.string('event_id', 255).nullable(); // the message id of the event sending it
      t.integer('attempts').notNullable();
      t.string('smtp_message_id', 255).nullable();
      t.text('error').nullable(); // why the last attempt failed
      t.uuid('resent_of').nullable().references('messages.id');
      t.uuid('requested_by').nullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.timestamp('sent_at', { useTz: true }).nullable();
      t.unique(['kind', 'source_key']); // one email per event's subject, whatever the event's message id
      t.index(['recipient_id', 'created_at']);
      t.index(['order_id']);
    });
  },
  down: async (knex) => {
    await knex.schema.dropTable('messages');
  },
};
