// A small service the database contract runs against: notes with versions, events, a listener.
import { eventHandler, inject, rpc, service } from '@platform/shimeji';
import { AlreadyExists, Collection, Database, isUniqueViolation, type Migration, NotFound, OutboxDispatcher } from '../../src';

interface NoteRow {
  id: string;
  title: string;
  version: number;
}

class Notes extends Collection {
  async add(id: string, title: string): Promise<NoteRow> {
    const trx = await this.trx();
    try {
      const [row] = await trx('notes').insert({ id, title, version: 1 }).returning(['id', 'title', 'version']);
      return row as NoteRow;
    } catch (error) {
      if (isUniqueViolation(error)) throw new AlreadyExists(`note ${id} exists`);
      throw error;
    }
  }

  async get(id: string): Promise<NoteRow> {
    const db = await this.reader();
    const row = (await db('notes').where({ id }).first()) as NoteRow | undefined;
    if (!row) throw new NotFound(`no note ${id}`);
    return row;
  }

  async rename(id: string, title: string, expectedVersion: number): Promise<number> {
    return this.updateVersioned('notes', id, expectedVersion, { title });
  }
}

// Counts read in the worker's transaction (begin it, as tests that hold one need).
class Tally extends Collection {
  async bump(key: string): Promise<void> {
    const trx = await this.trx();
    await trx('tally').insert({ key, count: 1 }).onConflict('key').merge({ count: trx.raw('tally.count + 1') });
  }

  async count(key: string): Promise<number> {
    const trx = await this.trx();
    const row = (await trx('tally').where({ key }).first()) as { count: number } | undefined;
    return row?.count ?? 0;
  }
}

export const notesMigrations: Migration[] = [
  {
    name: '001_notes',
    up: async (knex) => {
      await knex.schema.createTable('notes', (t) => {
        t.string('id').primary();
        t.string('title').notNullable();
        t.integer('version').notNullable();
      });
      await knex.schema.createTable('tally', (t) => {
        t.string('key').primary();
        t.integer('count').notNullable();
      });
    },
  },
];

export class Boom extends Error {}

/** An error that reports an outcome: what the worker wrote before it stays. */
export class Refused extends Error {}

@service('notes')
export class NotesService {
  db = inject(new Database({ notes: Notes, tally: Tally }, { migrations: notesMigrations, commitOn: [Refused] }));
  dispatch = inject(new OutboxDispatcher(this.db, { relayIntervalMs: 100, relayGraceMs: 0 }));

  @rpc async add(id: string, title: string) {
    const note = await this.db.notes.add(id, title);
    this.dispatch('note_added', { id });
    return note;
  }

  @rpc async addThenFail(id: string, title: string) {
    await this.db.notes.add(id, title);
    this.dispatch('note_added', { id });
    throw new Boom('changed my mind');
  }

  /** Adds a note and counts it: made again with the same idempotency key, it is answered again. */
  @rpc({ idempotent: true })
  async addOnce(id: string, title: string, pauseMs = 0) {
    const note = await this.db.notes.add(id, title);
    await this.db.tally.bump(`once:${id}`);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    return note;
  }

  @rpc({ idempotent: true })
  async addOnceThenRefuse(id: string, title: string) {
    await this.db.notes.add(id, title);
    throw new Refused('refused, but on record');
  }

  @rpc async addThenRefuse(id: string, title: string) {
    await this.db.notes.add(id, title);
    this.dispatch('note_added', { id });
    throw new Refused('refused, but on record');
  }

  /** Adds the note separately, then (after touching the worker's transaction first, if asked) fails. */
  @rpc async addSeparatelyThenFail(id: string, title: string, workerFirst = false) {
    if (workerFirst) await this.db.tally.count('anything');
    await this.db.separately((db) => db.notes.add(id, title));
    throw new Boom('failed after the separate part');
  }

  /** Holds the worker's transaction for `pauseMs`, then adds the note separately. */
  @rpc async holdThenAddSeparately(id: string, title: string, pauseMs: number) {
    await this.db.tally.count('anything');
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    return this.db.separately((db) => db.notes.add(id, title));
  }

  @rpc async get(id: string) {
    return this.db.notes.get(id);
  }

  @rpc async addThenGet(id: string, title: string) {
    await this.db.notes.add(id, title);
    return this.db.notes.get(id);
  }

  /** Slow between read and write, so two calls overlap. */
  @rpc async rename(id: string, title: string, version: number, pauseMs = 0) {
    await this.db.notes.get(id);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    try {
      return await this.db.notes.rename(id, title, version);
    } catch (error) {
      if (error instanceof this.db.ConcurrencyConflict) return 'conflict';
      throw error;
    }
  }

  @rpc async count(key: string) {
    return this.db.tally.count(key);
  }

  @eventHandler('notes', 'note_added')
  async onNoteAdded(payload: { id: string }) {
    await this.db.tally.bump(`added:${payload.id}`);
  }
}
