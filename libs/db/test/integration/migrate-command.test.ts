import pg from 'pg';
import { migrateServices } from '../../src/migrate-command';
import { testDatabaseUrl } from '../../src/testing';

describe('migrating services from the command line', () => {
  it('creates a service’s database and applies its migrations without starting it', async () => {
    const url = testDatabaseUrl('notes_migrate');
    const done = await migrateServices([`${__dirname}/../contract/notes-service.ts`], { NOTES_DATABASE_URL: url, logLevel: 'silent' });
    expect(done).toEqual(['notes']);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    await client.end();
    expect(rows.map((r: { tablename: string }) => r.tablename)).toEqual(
      expect.arrayContaining(['notes', 'tally', 'shimeji_outbox', 'shimeji_processed_messages']),
    );
  });
});
