// A customer pays an order and cancels it at the same moment, 50 times, with each of the four
// services in a process of its own on the real broker and PostgreSQL: whatever the interleaving,
// an order ends paid with exactly its amount kept at Stripe, or cancelled with every charge
// refunded. No money is kept for a cancelled order, and no event is dead-lettered.
import { randomUUID } from 'node:crypto';
import { createTransport, inspectDeadLetters } from '@platform/shimeji';
import { eventually, testBrokerUri } from '@platform/shimeji/testing';
import { type Attempt, type FaultyPlatform, sendUntilAnswered, signUp, startFaultyPlatform } from './faulty-platform';
import { serviceProcesses } from './service-processes';

const ORDERS = 50;
/** Orders raced at once: enough to keep both processes busy, few enough for a 2-core machine. */
const AT_ONCE = 5;
const PATIENCE_MS = 60_000;
/** The queues of the events this race sends between project and payment. */
const EVENT_QUEUES = [
  'evt-project-order_placed--payment.openTransaction',
  'evt-project-order_cancelled--payment.closeTransaction',
  'evt-payment-payment_taken--project.markOrderPaid',
  'evt-payment-payment_refunded--project.markOrderRefunded',
];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('paying and cancelling the same order at once, each service in its own process', () => {
  let platform: FaultyPlatform;
  const processes = serviceProcesses();

  beforeAll(async () => {
    platform = await startFaultyPlatform({ brokerUri: testBrokerUri(), inProcess: [] });
    // At info, each says when it has started: the race begins once all four serve.
    const started = ['user', 'project', 'payment', 'messaging'].map((name) => processes.start(name, { ...platform.config, logLevel: 'info' }).started);
    await Promise.all(started);
  }, 120_000);

  afterAll(async () => {
    await processes.stopAll();
    await platform?.stop();
  }, 60_000);

  it('ends every order paid with its amount kept, or cancelled with nothing kept, and dead-letters nothing', async () => {
    const { webUrl } = platform;
    const owner = await signUp(webUrl);
    const setup: Attempt[] = [];
    const send = (url: string, token: string, json?: unknown) => sendUntilAnswered(`${webUrl}${url}`, { method: 'POST', token, key: randomUUID(), json }, setup, PATIENCE_MS);
    // Answered once each process serves (until then the facade's calls time out: 504).
    const project = await send('/projects', owner.token, { name: 'Raced' });
    expect(project.status).toBe(201);
    const card = await send('/payment-methods', owner.token, { token: 'pm_card_visa' });
    expect(card.status).toBe(201);
    const projectId = project.body.id as string;

    const raced: { orderId: string; amount: number; pay: Attempt; cancel: Attempt }[] = [];
    const race = async (i: number) => {
      const amount = 1000 + i;
      const placed = await send(`/projects/${projectId}/orders`, owner.token, { description: `raced ${i}`, amount, currency: 'EUR' });
      expect(placed.status).toBe(201);
      const orderId = placed.body.id as string;
      await eventually(`the transaction of order ${i} to open`, async () => (await platform.db('payment')('transactions').where({ order_id: orderId }))[0], PATIENCE_MS);
      // Each side starts up to 40 ms late, so either may come first, or both at once; one race in
      // three gives the payment a head start, so that some orders end paid too.
      const headStart = i % 3 === 0 ? 60 : 0;
      const [pay, cancel] = await Promise.all([
        pause(Math.random() * 40).then(() => send(`/projects/${projectId}/orders/${orderId}/payment`, owner.token, { payment_method_id: card.body.id })),
        pause(headStart + Math.random() * 40).then(() => send(`/projects/${projectId}/orders/${orderId}/cancel`, owner.token)),
      ]);
      raced.push({ orderId, amount, pay, cancel });
    };
    for (let start = 0; start < ORDERS; start += AT_ONCE) {
      await Promise.all(Array.from({ length: Math.min(AT_ONCE, ORDERS - start) }, (_, k) => race(start + k)));
    }

    // Every answer is a decision, never a fault: paid or refused, cancelled or refused.
    for (const { pay, cancel } of raced) {
      expect([200, 409]).toContain(pay.status);
      expect([200, 409]).toContain(cancel.status);
    }

    // Settled: each order paid or cancelled, its transaction at rest (events may still be on their way).
    const settled = await eventually(
      'every raced order and its transaction to settle',
      async () => {
        const ids = raced.map((r) => r.orderId);
        const orders: { id: string; status: string }[] = await platform.db('project')('orders').whereIn('id', ids);
        const transactions: { order_id: string; state: string }[] = await platform.db('payment')('transactions').whereIn('order_id', ids);
        const stateOf = new Map(transactions.map((t) => [t.order_id, t.state]));
        const atRest = orders.every((o) => (o.status === 'paid' && stateOf.get(o.id) === 'paid') || (o.status === 'cancelled' && ['cancelled', 'refunded'].includes(stateOf.get(o.id)!)));
        return atRest && orders.length === ids.length ? orders : undefined;
      },
      PATIENCE_MS,
    );

    const charges = platform.stripe.charges();
    const refunds = platform.stripe.refunds();
    const kept = (orderId: string) => {
      const mine = charges.filter((charge) => charge.metadata.order_id === orderId);
      const refunded = refunds.filter((refund) => mine.some((charge) => charge.id === refund.charge)).reduce((sum, refund) => sum + refund.amount, 0);
      return mine.reduce((sum, charge) => sum + charge.amount, 0) - refunded;
    };
    const statusOf = new Map(settled.map((o) => [o.id, o.status]));
    const outcomes = raced.map(({ orderId, amount }) => ({ order: orderId, status: statusOf.get(orderId), kept: kept(orderId), amount }));
    expect(outcomes.filter(({ status, kept: k, amount }) => (status === 'paid' ? k !== amount : k !== 0))).toEqual([]);
    // Both endings happened, or the race proved nothing about one of them.
    const paid = outcomes.filter((o) => o.status === 'paid').length;
    const refundedAfterPaying = raced.filter((r) => r.pay.status === 200 && statusOf.get(r.orderId) === 'cancelled').length;
    process.stdout.write(`raced ${ORDERS} orders: ${paid} paid, ${ORDERS - paid} cancelled (${refundedAfterPaying} of them paid first, then refunded)\n`);
    expect(paid).toBeGreaterThan(0);
    expect(paid).toBeLessThan(ORDERS);

    const transport = createTransport(testBrokerUri(), { heartbeatSeconds: 5 });
    await transport.connect();
    try {
      for (const queue of EVENT_QUEUES) {
        const letters = await inspectDeadLetters(transport, queue, 1000);
        expect(letters.filter((letter) => raced.some((r) => letter.body.includes(r.orderId)))).toEqual([]);
      }
    } finally {
      await transport.close();
    }
  }, 300_000);
});
