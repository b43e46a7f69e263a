// The one-process baseline of `npm run bench:http`: fastify and pg, no broker, no services. It
// answers the three routes the benchmark drives on the web facade with the SQL the project and
// payment services run for them, against copies of their databases (BASE_PROJECT_URL,
// BASE_PAYMENT_URL), and prints `listening <url>` once it listens. Spawned by bench/http/main.ts.
//
// What it does not do (see bench/README.md): no JWT or access tokens (the bearer token is the user
// id), no input validation schemas, no Stripe (the card is checked against the payment_methods
// table instead of Stripe's list, and nothing is charged), no broker: the transaction payment opens
// on order_placed is inserted in the request, and the order is marked paid in the request, where
// the platform does both in event handlers after the reply. The outbox rows and the idempotent-call
// records are written as the services write them, and the outbox rows marked published after the
// commit, but no event is published or consumed (so no processed-message record, no email).
import { createHash, randomUUID } from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import pg from 'pg';

// Bigints as strings, as the services read them, turned into numbers where they do.
const project = new pg.Pool({ connectionString: requiredEnv('BASE_PROJECT_URL'), max: 10 });
const payment = new pg.Pool({ connectionString: requiredEnv('BASE_PAYMENT_URL'), max: 10 });

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

// listForMember (services/project/src/dependencies/projects.ts), as knex writes it.
const LIST_PROJECTS =
  'select "projects".* from "projects" inner join "project_members" on "project_members"."project_id" = "projects"."id" ' +
  'where "project_members"."user_id" = $1 order by "projects"."created_at" desc, "projects"."id" asc';
const PROJECT_FOR_MEMBER =
  'select "projects".*, "project_members"."role" from "projects" inner join "project_members" on "project_members"."project_id" = "projects"."id" ' +
  'where "projects"."id" = $1 and "project_members"."user_id" = $2 limit 1';

const userOf = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
};

const fingerprint = (args: unknown[]): string => createHash('sha256').update(JSON.stringify(args)).digest('hex');

type Client = pg.PoolClient;

async function inTransaction<T>(pool: pg.Pool, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The idempotent entrypoint's claim (libs/db/src/idempotent-calls.ts); its outcome is written before the commit. */
async function claim(client: Client, entrypoint: string, key: string, args: unknown[]): Promise<void> {
  await client.query('insert into "shimeji_idempotent_calls" ("entrypoint", "key", "fingerprint") values ($1, $2, $3) on conflict ("entrypoint", "key") do nothing returning "key"', [
    entrypoint,
    key,
    fingerprint(args),
  ]);
}
async function recordOutcome(client: Client, entrypoint: string, key: string, result: unknown): Promise<void> {
  await client.query('update "shimeji_idempotent_calls" set "outcome" = $1 where "entrypoint" = $2 and "key" = $3', [JSON.stringify({ result }), entrypoint, key]);
}

/** An event into the outbox in the transaction (libs/db/src/outbox.ts); marked published after the commit. */
async function outbox(client: Client, source: string, type: string, payload: unknown): Promise<string> {
  const id = randomUUID();
  await client.query('insert into "shimeji_outbox" ("id", "exchange", "routing_key", "body", "headers") values ($1, $2, $3, $4, $5)', [
    id,
    `${source}.events`,
    `${source}.${type}`,
    JSON.stringify(payload),
    JSON.stringify({ 'nameko.call_id_stack': [`${source}.bench.${id}`] }),
  ]);
  return id;
}
async function published(pool: pg.Pool, id: string): Promise<void> {
  await pool.query('update "shimeji_outbox" set "published_at" = $1 where "id" = $2', [new Date(), id]);
}

interface Order extends Record<string, unknown> {
  id: string;
  description: string;
  amount: number;
  currency: string;
}
const toOrder = (row: Record<string, unknown>): Order => ({ ...row, amount: Number(row.amount) }) as Order;
const toTransaction = (row: Record<string, unknown>) => ({ ...row, amount: Number(row.amount) });

async function versioned(client: Client, table: string, id: string, version: number, changes: Record<string, unknown>): Promise<void> {
  const keys = Object.keys(changes);
  const sets = keys.map((key, i) => `"${key}" = $${i + 1}`).join(', ');
  const values = keys.map((key) => changes[key]);
  const n = keys.length;
  const result = await client.query(`update "${table}" set ${sets}, "version" = $${n + 1} where "id" = $${n + 2} and "version" = $${n + 3}`, [...values, version + 1, id, version]);
  if (result.rowCount !== 1) throw Object.assign(new Error(`${table} ${id} changed since version ${version}`), { statusCode: 409 });
}

const fail = (reply: FastifyReply, code: number, message: string) => reply.code(code).send({ error: code === 404 ? 'NOT_FOUND' : 'CONFLICT', message });

async function main(): Promise<void> {
  const app = Fastify({ logger: false });

  app.get('/projects', async (request, reply) => {
    const user = userOf(request);
    if (!user) return fail(reply, 401, 'no token');
    const { rows } = await project.query(LIST_PROJECTS, [user]);
    return rows;
  });

  app.post<{ Params: { projectId: string }; Body: { description: string; amount: number; currency: string } }>('/projects/:projectId/orders', async (request, reply) => {
    const user = userOf(request);
    if (!user) return fail(reply, 401, 'no token');
    const { projectId } = request.params;
    const { description, amount, currency } = request.body;
    const key = `correlation:${randomUUID()}`;
    const placed = await inTransaction(project, async (client) => {
      await claim(client, 'project.placeOrder', key, [projectId, user, description, amount, currency]);
      const found = (await client.query(PROJECT_FOR_MEMBER, [projectId, user])).rows[0] as Record<string, unknown> | undefined;
      if (!found) return undefined;
      const id = randomUUID();
      const [row] = (
        await client.query(
          'insert into "orders" ("amount", "currency", "description", "id", "placed_by", "project_id", "status", "version") values ($1, $2, $3, $4, $5, $6, $7, $8) returning *',
          [amount, currency, description, id, user, projectId, 'awaiting_payment', 1],
        )
      ).rows as Record<string, unknown>[];
      await client.query('insert into "order_status_changes" ("actor_id", "order_id", "reason", "status") values ($1, $2, $3, $4)', [user, id, null, 'awaiting_payment']);
      const order = toOrder(row!);
      const event = await outbox(client, 'project', 'order_placed', { order, project: found, placed_by: { id: user } });
      await recordOutcome(client, 'project.placeOrder', key, order);
      return { order, project: found, event };
    });
    if (!placed) return fail(reply, 404, `no project ${projectId}`);
    await published(project, placed.event);
    // payment's openTransaction (on order_placed), here in the request.
    const { order } = placed;
    await payment.query(
      'insert into "transactions" ("amount", "attempt", "currency", "description", "id", "order_id", "project_id", "project_name", "state", "version") ' +
        'values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict ("order_id") do nothing returning *',
      [order.amount, 0, order.currency, order.description, randomUUID(), order.id, projectId, placed.project.name, 'awaiting_payment', 1],
    );
    return reply.code(201).send(order);
  });

  app.post<{ Params: { projectId: string; orderId: string }; Body: { payment_method_id: string } }>('/projects/:projectId/orders/:orderId/payment', async (request, reply) => {
    const user = userOf(request);
    if (!user) return fail(reply, 401, 'no token');
    const idempotencyKey = request.headers['idempotency-key'];
    if (typeof idempotencyKey !== 'string') return fail(reply, 400, 'no Idempotency-Key');
    const { projectId, orderId } = request.params;
    const card = request.body.payment_method_id;
    // project.getOrder: the order, and the requester a member of its project.
    const order = (await project.query('select * from "orders" where "id" = $1 limit 1', [orderId])).rows[0] as Record<string, unknown> | undefined;
    if (!order) return fail(reply, 404, `no order ${orderId}`);
    const member = (await project.query('select * from "project_members" where "project_id" = $1 and "user_id" = $2 limit 1', [order.project_id, user])).rows[0];
    if (!member || order.project_id !== projectId) return fail(reply, 404, `order ${orderId} not found`);
    // payment.payOrder: the attempt's reads and writes each committed apart (attempts.ts); the claim, the outbox row and the outcome in the worker's transaction.
    // One connection at a time, as the service holds them: the attempt's steps first, then the worker's transaction.
    const paid = await (async () => {
      const current = (await payment.query('select * from "transactions" where "order_id" = $1 limit 1', [orderId])).rows[0] as Record<string, unknown> | undefined;
      if (!current) return 'no-transaction' as const;
      if (current.state === 'paid') return toTransaction(current);
      const customer = (await payment.query('select * from "customers" where "user_id" = $1 limit 1', [user])).rows[0] as Record<string, unknown> | undefined;
      // Stripe's listPaymentMethods, stood in for by the card's row.
      const known = (await payment.query('select * from "payment_methods" where "user_id" = $1 and "payment_method_id" = $2 limit 1', [user, card])).rows[0];
      if (!customer || !known) return 'no-card' as const;
      const begin = await payment.connect();
      let attempt: Record<string, unknown>;
      try {
        await begin.query('BEGIN');
        await versioned(begin, 'transactions', String(current.id), Number(current.version), {
          paid_by: user,
          payment_method_id: card,
          stripe_customer_id: customer.stripe_customer_id,
          state: 'processing',
          attempt: Number(current.attempt) + 1,
          payment_intent_id: null,
          failure_reason: null,
          client_secret: null,
          next_action: null,
          authentication_started_at: null,
          updated_at: new Date(),
        });
        attempt = (await begin.query('select * from "transactions" where "id" = $1 limit 1', [current.id])).rows[0] as Record<string, unknown>;
        await begin.query('COMMIT');
      } catch (error) {
        await begin.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        begin.release();
      }
      // Stripe's charge: not made. The outcome, committed apart, with payment_taken in the worker's outbox.
      const outcome = await inTransaction(payment, async (client) => {
        await versioned(client, 'transactions', String(attempt.id), Number(attempt.version), {
          state: 'paid',
          payment_intent_id: `pi_bench_${randomUUID().replace(/-/g, '')}`,
          client_secret: null,
          next_action: null,
          authentication_started_at: null,
          updated_at: new Date(),
        });
        return toTransaction((await client.query('select * from "transactions" where "id" = $1 limit 1', [attempt.id])).rows[0] as Record<string, unknown>);
      });
      const event = await inTransaction(payment, async (worker) => {
        await claim(worker, 'payment.payOrder', idempotencyKey, [orderId, card, user]);
        const id = await outbox(worker, 'payment', 'payment_taken', { transaction: outcome });
        await recordOutcome(worker, 'payment.payOrder', idempotencyKey, outcome);
        return id;
      });
      return { outcome, event };
    })();
    if (paid === 'no-transaction') return fail(reply, 404, `no transaction for order ${orderId}`);
    if (paid === 'no-card') return fail(reply, 404, `user ${user} has no payment method ${card}`);
    if (!('event' in paid)) return paid;
    await published(payment, paid.event);
    // project's markOrderPaid (on payment_taken), here in the request.
    await inTransaction(project, async (client) => {
      const current = (await client.query('select * from "orders" where "id" = $1 limit 1', [orderId])).rows[0] as Record<string, unknown>;
      await versioned(client, 'orders', orderId, Number(current.version), { status: 'paid', updated_at: new Date() });
      await client.query('insert into "order_status_changes" ("actor_id", "order_id", "reason", "status") values ($1, $2, $3, $4)', [user, orderId, null, 'paid']);
      await client.query('select * from "orders" where "id" = $1 limit 1', [orderId]);
      const event = await outbox(client, 'project', 'order_paid', { order: { id: orderId }, project: { id: projectId }, paid_by: { id: user } });
      return event;
    }).then((event) => published(project, event));
    return paid.outcome;
  });

  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`listening ${address}\n`);
  const stop = () => {
    void app
      .close()
      .then(() => Promise.all([project.end(), payment.end()]))
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`baseline server failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
