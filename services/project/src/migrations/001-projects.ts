import type { Migration } from '@platform/db';

export const createProjects: Migration = {
  name: '001_projects',
  up: async (knex) => {
    await knex.schema.createTable('projects', (t) => {
      t.uuid('id').primary();
      t.string('name', 200).notNullable();
      t.string('description', 2000).nullable();
      t.uuid('owner_id').notNullable();
      t.integer('version').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
    await knex.schema.createTable('project_members', (t) => {
      t.uuid('project_id').notNullable().references('projects.id');
      t.uuid('user_id').notNullable();
      t.string('role', 20).notNullable();
      t.uuid('added_by').notNullable();
      t.timestamp('added_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.primary(['project_id', 'user_id']);
      t.index(['user_id']); // "my projects" is looked up by member
    });
  },
  down: async (knex) => {
    await knex.schema.dropTable('project_members');
    await knex.schema.dropTable('projects');
  },
};
