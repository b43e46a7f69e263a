// Migrations are modules a service lists explicitly (no directory scanning): they load the same
// way under tsx, jest and a bundler, and their order is what the list says.
import type { Knex } from 'knex';

export interface Migration {
  /** Unique and stable: it is recorded in the migrations table. */
  name: string;
  up(knex: Knex): Promise<void>;
  down?(knex: Knex): Promise<void>;
}

/** Applies the migrations not applied yet; returns their names. Run it under `underMigrationLock` when instances may start together. */
export async function migrate(db: Knex, migrations: readonly Migration[], tableName = 'knex_migrations'): Promise<string[]> {
  const names = new Set<string>();
  for (const m of migrations) {
    if (names.has(m.name)) throw new Error(`two migrations are named ${m.name}`);
    names.add(m.name);
  }
  const [, applied] = (await db.migrate.latest({
    tableName,
    migrationSource: {
      getMigrations: async () => [...migrations],
      getMigrationName: (m: Migration) => m.name,
      getMigration: async (m: Migration) => ({ up: m.up, down: m.down ?? (async () => undefined) }),
    },
  })) as [number, string[]];
  return applied;
}
