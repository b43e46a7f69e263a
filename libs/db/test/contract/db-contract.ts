// One contract for the database plumbing, on PostgreSQL and on embedded PGlite.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Knex } from 'knex';
import { createTransport, IdempotencyKeyReused, type RemoteError, ServiceContainer } from '@platform/shimeji';
import { rpcClientFactory, testBrokerUri } from '@platform/shimeji/testing';
import { OUTBOX_TABLE } from '../../src';
import { testDatabaseUrl } from '../../src/testing';
import { NotesService } from './notes-service';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const waitFor = async (check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> => {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await sleep(50);
  }
};

/** A reply queue of our own on the broker, as a caller that publishes raw requests has. */
async function replyInboxOn(uri: string) {
  const transport = createTransport(uri, { heartbeatSeconds: 5 });
  await transport.connect();
  const replyTo = randomUUID();
  const queue = `rpc.reply-contract-${replyTo}`;
  await transport.assertExchange('nameko-rpc', { durable: true });
  await transport.assertQueue(queue, { durable: false, autoDelete: true, exclusive: false });
  await transport.bindQueue(queue, 'nameko-rpc', replyTo);
  const received: unknown[] = [];
  const waiting: ((body: unknown) => void)[] = [];
  await transport.consume(
    queue,
    (delivery) => {
      delivery.ack();
      const body = JSON.parse(delivery.body.toString('utf8'));
      const next = waiting.shift();
      if (next) next(body);
      else received.push(body);
    },
    { prefetch: 0 },
  );
  return {
    transport,
    replyTo,
    next: () => (received.length > 0 ? Promise.resolve(received.shift()) : new Promise<unknown>((resolve) => waiting.push(resolve))),
    close: () => transport.close(),
  };
}

export function dbContract(kind: 'postgres' | 'pglite'): void {
  describe(`the database plumbing on ${kind}`, () => {
    const clients = rpcClientFactory();
    const uri = testBrokerUri(kind === 'postgres' ? 'amqp' : 'memory');
    const databaseUrl = kind === 'postgres' ? testDatabaseUrl('notes') : undefined;
    let container: ServiceContainer;

    // One database for the suite (PGlite takes seconds to start); tests use ids of their own.
    beforeAll(async () => {
      const config = { AMQP_URI: uri, ...(databaseUrl ? { NOTES_DATABASE_URL: databaseUrl } : {}) };
      container = new ServiceContainer(NotesService, { logLevel: 'silent', ...config });
      await container.start();
    }, 60_000);

    afterAll(async () => {
      await container?.stop();
    });

    const client = () => clients({ uri, timeoutMs: 15_000 });
    const replyInbox = () => replyInboxOn(uri);

    if (kind === 'postgres') {
      it('creates its database when absent and runs its migrations on start', async () => {
        const admin = new pg.Client({ connectionString: new URL('/postgres', databaseUrl).toString() });
        await admin.connect();
        const name = new URL(databaseUrl!).pathname.slice(1);
        const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        await admin.end();
        expect(found.rowCount).toBe(1);
      });
    }

    it('commits the changes of a worker that succeeds', async () => {
      const c = await client();
      const id = randomUUID();
      await expect(c.call('notes', 'add', [id, 'first'])).resolves.toEqual({ id, title: 'first', version: 1 });
      await expect(c.call('notes', 'get', [id])).resolves.toMatchObject({ title: 'first' });
    });

    it('rolls back the changes of a worker that fails, and sends none of its events', async () => {
      const c = await client();
      const id = randomUUID();
      await expect(c.call('notes', 'addThenFail', [id, 'never'])).rejects.toThrow('changed my mind');
      await expect(c.call('notes', 'get', [id])).rejects.toThrow(`no note ${id}`);
      await sleep(300);
      await expect(c.call('notes', 'count', [`added:${id}`])).resolves.toBe(0);
    });

    it('commits a worker that ends in an error declared as an outcome, events and all', async () => {
      const c = await client();
      const id = randomUUID();
      await expect(c.call('notes', 'addThenRefuse', [id, 'kept'])).rejects.toThrow('refused, but on record');
      await expect(c.call('notes', 'get', [id])).resolves.toMatchObject({ title: 'kept' });
      await waitFor(async () => (await c.call('notes', 'count', [`added:${id}`])) === 1);
    });

    it('keeps what a worker committed separately though the worker then fails', async () => {
      const c = await client();
      const id = randomUUID();
      await expect(c.call('notes', 'addSeparatelyThenFail', [id, 'on record'])).rejects.toThrow('failed after the separate part');
      await expect(c.call('notes', 'get', [id])).resolves.toMatchObject({ title: 'on record' });
    });

    if (kind === 'postgres') {
      it('commits separately even once the worker’s own transaction has begun', async () => {
        const c = await client();
        const id = randomUUID();
        await expect(c.call('notes', 'addSeparatelyThenFail', [id, 'on record', true])).rejects.toThrow('failed after the separate part');
        await expect(c.call('notes', 'get', [id])).resolves.toMatchObject({ title: 'on record' });
      });

      it('never lets workers holding every pooled connection wait on their separate work', async () => {
        const c = await client();
        const ids = Array.from({ length: 10 }, () => randomUUID());
        const added = await Promise.all(ids.map((id) => c.call('notes', 'holdThenAddSeparately', [id, 'held', 300])));
        expect(added).toEqual(ids.map((id) => ({ id, title: 'held', version: 1 })));
      }, 20_000);
    } else {
      it('runs separate work in the worker’s transaction once it has begun: one connection', async () => {
        const c = await client();
        const id = randomUUID();
        await expect(c.call('notes', 'addSeparatelyThenFail', [id, 'with the worker', true])).rejects.toThrow('failed after the separate part');
        await expect(c.call('notes', 'get', [id])).rejects.toThrow(`no note ${id}`);
      });
    }

    describe('an idempotent entrypoint', () => {
      const keyed = (key: string) => ({ contextData: { idempotency_key: key } });

      it('answers a call made again with the same key as the first time, and acts once', async () => {
        const c = await client();
        const id = randomUUID();
        const first = await c.call('notes', 'addOnce', [id, 'once'], keyed(`k-${id}`));
        await expect(c.call('notes', 'addOnce', [id, 'once'], keyed(`k-${id}`))).resolves.toEqual(first);
        await expect(c.call('notes', 'count', [`once:${id}`])).resolves.toBe(1);
        // Without the key it is a new call, which finds the note there.
        await expect(c.call('notes', 'addOnce', [id, 'once'])).rejects.toThrow(`note ${id} exists`);
      });

      it('refuses the same key with other arguments, naming the key, and acts on nothing', async () => {
        const c = await client();
        const [id, other] = [randomUUID(), randomUUID()];
        await c.call('notes', 'addOnce', [id, 'first'], keyed(`k-${id}`));
        const refused = (await c.call('notes', 'addOnce', [other, 'second'], keyed(`k-${id}`)).catch((e: unknown) => e)) as RemoteError;
        expect(refused).toBeInstanceOf(IdempotencyKeyReused);
        expect(refused.message).toMatch(`idempotency key k-${id} was used for another request to notes.addOnce`);
        await expect(c.call('notes', 'get', [other])).rejects.toThrow(`no note ${other}`);
      });

      it('answers again with the error a call ended in when that error kept its effects', async () => {
        const c = await client();
        const id = randomUUID();
        for (let i = 0; i < 2; i++) {
          await expect(c.call('notes', 'addOnceThenRefuse', [id, 'kept'], keyed(`k-${id}`))).rejects.toThrow('refused, but on record');
        }
        await expect(c.call('notes', 'get', [id])).resolves.toMatchObject({ title: 'kept' });
      });

      it('acts once for two calls with one key at the same moment, answering both alike', async () => {
        const c = await client();
        const id = randomUUID();
        const both = await Promise.all([0, 1].map(() => c.call('notes', 'addOnce', [id, 'raced', 200], keyed(`k-${id}`))));
        expect(both[0]).toEqual({ id, title: 'raced', version: 1 });
        expect(both[1]).toEqual(both[0]);
        await expect(c.call('notes', 'count', [`once:${id}`])).resolves.toBe(1);
      });

      if (kind === 'postgres') {
        it('recognises a request delivered again after a restart by its correlation id, with no key', async () => {
          const id = randomUUID();
          const request = {
            exchange: 'nameko-rpc',
            routingKey: 'notes.addOnce',
            body: Buffer.from(JSON.stringify({ args: [id, 'redelivered'], kwargs: {} })),
          };
          const replies = await replyInbox();
          const correlationId = randomUUID();
          const send = () => replies.transport.publish({ ...request, properties: { contentType: 'application/json', correlationId, replyTo: replies.replyTo, headers: {} } });
          await send();
          const first = await replies.next();
          // Another instance, as after a crash: nothing in its memory of recent requests.
          const config = { AMQP_URI: uri, NOTES_DATABASE_URL: databaseUrl!, logLevel: 'silent' };
          const another = new ServiceContainer(NotesService, config);
          await container.stop();
          await another.start();
          container = another;
          await send();
          expect(await replies.next()).toEqual(first);
          await replies.close();
          await expect((await client()).call('notes', 'count', [`once:${id}`])).resolves.toBe(1);
        }, 60_000);
      }
    });

    describe('a plain read', () => {
      type Query = { sql: string; bindings?: unknown[]; __knexTxId?: string };
      /** The statements the service sends while `work` runs, with the transaction each ran in. */
      async function statementsDuring(work: () => Promise<unknown>): Promise<Query[]> {
        const knex = (container.dependencies.get('db') as unknown as { knex: Knex }).knex;
        const seen: Query[] = [];
        const listen = (query: Query) => seen.push(query);
        knex.on('query', listen);
        try {
          await work();
        } finally {
          knex.off('query', listen);
        }
        return seen;
      }
      const statementsAbout = async (id: string, work: () => Promise<unknown>) => (await statementsDuring(work)).filter((q) => q.bindings?.includes(id));

      it('runs outside any transaction when the worker only reads: no BEGIN, no COMMIT', async () => {
        const c = await client();
        const id = randomUUID();
        await c.call('notes', 'add', [id, 'read me']);
        const statements = await statementsAbout(id, () => expect(c.call('notes', 'get', [id])).resolves.toMatchObject({ title: 'read me' }));
        expect(statements).toHaveLength(1);
        expect(statements[0]!.sql).toMatch(/^select/i);
        expect(statements[0]!.__knexTxId).toBeUndefined();
      });

      it('begins no transaction in a service with an outbox when the worker dispatches nothing', async () => {
        const c = await client();
        const id = randomUUID();
        await c.call('notes', 'add', [id, 'read me']);
        await waitFor(async () => (await c.call('notes', 'count', [`added:${id}`])) === 1); // its event handled, out of the way
        const statements = await statementsDuring(() => c.call('notes', 'get', [id]));
        // The transactions begun meanwhile; the outbox relay's own each touch the outbox table.
        const transactions = new Map<string, string[]>();
        for (const q of statements) if (q.__knexTxId) transactions.set(q.__knexTxId, [...(transactions.get(q.__knexTxId) ?? []), q.sql]);
        const begun = [...transactions.values()].filter((sqls) => /^begin/i.test(sqls[0]!));
        expect(begun.filter((sqls) => !sqls.some((sql) => sql.includes(OUTBOX_TABLE)))).toEqual([]);
      });

      it('runs in the worker’s transaction after its write, and sees it', async () => {
        const c = await client();
        const id = randomUUID();
        const statements = await statementsAbout(id, () => expect(c.call('notes', 'addThenGet', [id, 'mine'])).resolves.toMatchObject({ id, title: 'mine' }));
        expect(statements.map((q) => q.sql.split(' ')[0]!.toLowerCase())).toEqual(['insert', 'select']);
        expect(statements[0]!.__knexTxId).toBeDefined();
        expect(statements[1]!.__knexTxId).toBe(statements[0]!.__knexTxId);
      });
    });

    it('lets exactly one of two concurrent updates of the same version win', async () => {
      const c = await client();
      const id = randomUUID();
      await c.call('notes', 'add', [id, 'v1']);
      const outcomes = await Promise.all([
        c.call('notes', 'rename', [id, 'by A', 1, 200]),
        c.call('notes', 'rename', [id, 'by B', 1, 200]),
      ]);
      expect(outcomes.sort()).toEqual([2, 'conflict']);
      const note = (await c.call('notes', 'get', [id])) as { title: string; version: number };
      expect(note.version).toBe(2);
      expect(['by A', 'by B']).toContain(note.title);
    });

    it('publishes an event once its change committed', async () => {
      const c = await client();
      const id = randomUUID();
      await c.call('notes', 'add', [id, 'evented']);
      await waitFor(async () => (await c.call('notes', 'count', [`added:${id}`])) === 1);
    });

    it('relays an event that a crash left in the outbox', async () => {
      const db = (container.dependencies.get('db') as unknown as { knex: Knex }).knex;
      const id = randomUUID();
      const messageId = randomUUID();
      // Committed with its change, then the process died before publishing it.
      await db(OUTBOX_TABLE).insert({
        id: messageId,
        exchange: 'notes.events',
        routing_key: 'note_added',
        body: JSON.stringify({ id }),
        headers: {},
        created_at: new Date(Date.now() - 60_000),
      });
      const c = await client();
      await waitFor(async () => (await c.call('notes', 'count', [`added:${id}`])) === 1);
      const row = (await db(OUTBOX_TABLE).where({ id: messageId }).first()) as { published_at: Date | null };
      expect(row.published_at).not.toBeNull();
    });

    it('handles a duplicated or redelivered event only once', async () => {
      const transport = createTransport(uri, { heartbeatSeconds: 5 });
      await transport.connect();
      const id = randomUUID();
      const messageId = randomUUID();
      const message = {
        exchange: 'notes.events',
        routingKey: 'note_added',
        body: Buffer.from(JSON.stringify({ id })),
        properties: { contentType: 'application/json', messageId },
      };
      await transport.publish(message);
      await transport.publish(message);
      await transport.close();
      const c = await client();
      await waitFor(async () => ((await c.call('notes', 'count', [`added:${id}`])) as number) >= 1);
      await sleep(500);
      await expect(c.call('notes', 'count', [`added:${id}`])).resolves.toBe(1);
    });
  });
}
