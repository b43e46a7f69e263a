// One of three RabbitMQ nodes is lost in the middle of a burst of orders and payments. Payment and
// messaging run as three replicas each (`shimeji run` processes), spread over the nodes (replica i
// connects to node i first); user, project and the web facade connect to node 0, the one that is
// stopped. Clients retry what was not answered with the same Idempotency-Key, as the fault tests'
// clients do. Whatever the queue type: every request ends answered, no answer is a 500, one order
// per request, one charge and one confirmation email per paid order, and every payment reaches
// the project service (no event lost). With quorum queues the platform serves again within seconds
// while the node stays down; with classic queues (their one copy lives on the node that declared
// them) it serves again once the node is back. Each case prints its figures (docs/scaling.md).
import { randomUUID } from 'node:crypto';
import { clusterUnavailable, eventually, type RabbitCluster, startRabbitCluster } from '@platform/shimeji/testing';
import { type Attempt, type FaultyPlatform, sendUntilAnswered, signUp, startFaultyPlatform } from './faulty-platform';
import { serviceProcesses } from './service-processes';

const why = clusterUnavailable();
if (why) console.warn(`[rabbitmq cluster] node-loss tests not run: ${why}`);
const describeWithCluster = why ? describe.skip : describe;

const ORDERS = 24;
/** Every third order is paid: payments before, during and after the loss. */
const PAY_EVERY = 3;
const SPREAD_MS = 200;
const NODE_LOST_AT_MS = 1_500;
/** Classic queues on the lost node are served again only once it is back: it comes back after this. */
const CLASSIC_NODE_BACK_AFTER_MS = 8_000;
const REPLICAS = 3;
const PATIENCE_MS = 90_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Node i's URI first, then the others: replica i of a service lives on node i. */
const rotated = (uri: string, first: number) => {
  const uris = uri.split(',');
  return [...uris.slice(first), ...uris.slice(0, first)].join(',');
};
const served = (attempt: Attempt) => attempt.status !== undefined && attempt.status < 500;

describeWithCluster('losing one of three RabbitMQ nodes under a burst of orders and payments', () => {
  let cluster: RabbitCluster;

  beforeAll(async () => {
    cluster = await startRabbitCluster(3);
  }, 240_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);

  describe.each([['quorum'], ['classic']] as const)('with %s queues', (queueType) => {
    let platform: FaultyPlatform;
    const processes = serviceProcesses();
    const lost = () => cluster.nodes[0]!;

    beforeAll(async () => {
      const uri = await cluster.vhost(`node-lost-${queueType}-${randomUUID().slice(0, 6)}`);
      platform = await startFaultyPlatform({ brokerUri: uri, inProcess: ['user', 'project'], queueType });
      const started: Promise<void>[] = [];
      for (let replica = 0; replica < REPLICAS; replica++) {
        for (const name of ['payment', 'messaging']) {
          const settings = { ...platform.config, AMQP_URI: rotated(uri, replica), AMQP_QUEUE_TYPE: queueType, logLevel: 'info', heartbeatSeconds: 2 };
          started.push(processes.start(name, settings).started);
        }
      }
      await Promise.all(started);
    }, 180_000);
    afterAll(async () => {
      // The node comes back first, so that everything stops gracefully and the next case has it.
      await lost().up().catch(() => undefined);
      await processes.stopAll();
      await platform?.stop();
    }, 120_000);

    it('ends with every request answered once, one charge and one email per paid order, and no event lost', async () => {
      const { webUrl } = platform;
      const customer = await signUp(webUrl);
      const setup: Attempt[] = [];
      const send = (path: string, json: unknown, key: string, log: Attempt[]) =>
        sendUntilAnswered(`${webUrl}${path}`, { method: 'POST', token: customer.token, key, json }, log, PATIENCE_MS);
      const project = await send('/projects', { name: 'Node lost' }, randomUUID(), setup);
      expect(project.status).toBe(201);
      const card = await send('/payment-methods', { token: 'pm_card_visa' }, randomUUID(), setup);
      expect(card.status).toBe(201);
      const projectId = project.body.id as string;

      const attempts: Attempt[] = [];
      const requests = Array.from({ length: ORDERS }, (_, i) => ({ description: `node lost ${queueType} order ${String(i).padStart(2, '0')}`, key: randomUUID(), payKey: i % PAY_EVERY === 0 ? randomUUID() : undefined }));
      const loss = { downAt: 0, upAt: Number.POSITIVE_INFINITY };
      const chaos = (async () => {
        await pause(NODE_LOST_AT_MS);
        await lost().down();
        loss.downAt = Date.now();
        if (queueType === 'classic') {
          await pause(CLASSIC_NODE_BACK_AFTER_MS);
          loss.upAt = Date.now();
          await lost().up();
        }
      })();
      const outcomes = await Promise.all(
        requests.map(async (request, i) => {
          await pause(i * SPREAD_MS);
          const placed = await send(`/projects/${projectId}/orders`, { description: request.description, amount: 1000 + i, currency: 'EUR' }, request.key, attempts);
          if (placed.status !== 201 || !request.payKey) return { request, placed };
          const orderId = placed.body.id as string;
          await eventually(`the transaction of ${orderId}`, async () => (await platform.db('payment')('transactions').where({ order_id: orderId }))[0], PATIENCE_MS);
          const paid = await send(`/projects/${projectId}/orders/${orderId}/payment`, { payment_method_id: card.body.id }, request.payKey, attempts);
          return { request, placed, paid };
        }),
      );
      await chaos;

      // The figures: how long the platform was out, and how many attempts it turned away.
      const afterLoss = attempts.filter((a) => a.endedAt >= loss.downAt);
      const failed = afterLoss.filter((a) => !served(a));
      const firstServed = afterLoss.filter((a) => a.startedAt >= loss.downAt && served(a)).sort((a, b) => a.endedAt - b.endedAt)[0];
      const lastFailed = failed.sort((a, b) => b.endedAt - a.endedAt)[0];
      const byStatus: Record<string, number> = {};
      for (const a of failed) byStatus[a.status ?? a.error ?? '?'] = (byStatus[a.status ?? a.error ?? '?'] ?? 0) + 1;
      const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
      console.log(
        `[rabbitmq cluster] ${queueType} queues, node 0 of 3 lost${queueType === 'classic' ? ` for ${seconds(CLASSIC_NODE_BACK_AFTER_MS)}` : ' (kept down)'}: ` +
          `${attempts.length} attempts, ${failed.length} turned away (${JSON.stringify(byStatus)}); first answered ${seconds(firstServed && firstServed.endedAt - loss.downAt)} ` +
          `and last turned away ${seconds(lastFailed && lastFailed.endedAt - loss.downAt)} after the loss`,
      );

      // The loss was felt, and what was turned away was a 503 or 504 the client could retry, never a 500.
      expect(afterLoss.length).toBeGreaterThan(0);
      for (const attempt of [...setup, ...attempts]) expect(attempt.status === undefined || attempt.status < 500 || [503, 504].includes(attempt.status)).toBe(true);
      if (queueType === 'quorum') {
        // Served again while the node is still down.
        expect(firstServed).toBeDefined();
        expect(firstServed!.endedAt - loss.downAt).toBeLessThan(15_000);
      }

      expect(outcomes.map((o) => o.placed.status)).toEqual(requests.map(() => 201));
      expect(outcomes.filter((o) => o.paid).map((o) => [o.paid!.status, o.paid!.body?.state])).toEqual(requests.filter((r) => r.payKey).map(() => [200, 'paid']));

      const orders: { id: string; description: string }[] = await platform.db('project')('orders').where({ project_id: projectId });
      const perDescription = new Map<string, number>();
      for (const order of orders) perDescription.set(order.description, (perDescription.get(order.description) ?? 0) + 1);
      expect(Object.fromEntries(perDescription)).toEqual(Object.fromEntries(requests.map((r) => [r.description, 1])));

      const paid = outcomes.filter((o) => o.paid).map((o) => ({ id: o.placed.body.id as string, description: o.request.description }));
      const chargesPerOrder = new Map<string, number>();
      for (const charge of platform.stripe.charges()) chargesPerOrder.set(charge.metadata.order_id!, (chargesPerOrder.get(charge.metadata.order_id!) ?? 0) + 1);
      expect(Object.fromEntries(chargesPerOrder)).toEqual(Object.fromEntries(paid.map(({ id }) => [id, 1])));

      // Every payment_taken reaches project (the order is paid) and messaging (one email each).
      await eventually(
        'every paid order to be paid in the project service',
        async () => {
          const statuses: string[] = await platform.db('project')('orders').whereIn('id', paid.map((p) => p.id)).pluck('status');
          return statuses.length === paid.length && statuses.every((s) => s === 'paid') ? statuses : undefined;
        },
        PATIENCE_MS,
      );
      const emailsOf = (description: string) => platform.mails.filter((m) => m.raw.includes(description) && /paid|Paid/.test(m.raw)).length;
      await eventually('a confirmation email for every paid order', async () => (paid.every((p) => emailsOf(p.description) >= 1) ? true : undefined), PATIENCE_MS);
      // Late duplicates would come from redelivered events: give them a moment to show.
      await pause(2_000);
      expect(Object.fromEntries(paid.map((p) => [p.description, emailsOf(p.description)]))).toEqual(Object.fromEntries(paid.map((p) => [p.description, 1])));
    }, 300_000);
  });
});
