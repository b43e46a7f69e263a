// The project service in a container on the real PostgreSQL and RabbitMQ, called as facades call
// it, and sent payment's events as payment sends them.
import { randomUUID } from 'node:crypto';
import { eventMessage, type RemoteError, type ServiceProxy } from '@platform/shimeji';
import { rpcClientFactory } from '@platform/shimeji/testing';
import type { ProjectService } from '../../src/service';
import {
  announcedAbout,
  BadRequest,
  ConcurrentChange,
  deadLetterReason,
  errors,
  InvalidOrderState,
  NotFound,
  outboxEvents,
  rowCounts,
  type Running,
  startProjectService,
  workersDone,
} from './harness';

const PAYMENT_TAKEN_QUEUE = 'evt-payment-payment_taken--project.markOrderPaid';
const PAYMENT_REFUNDED_QUEUE = 'evt-payment-payment_refunded--project.markOrderRefunded';

type Order = Awaited<ReturnType<ProjectService['placeOrder']>>;

describe('the project service on PostgreSQL and RabbitMQ', () => {
  const clients = rpcClientFactory({ timeoutMs: 20_000, errors });
  let running: Running;
  let projects: ServiceProxy<ProjectService>;

  beforeAll(async () => {
    running = await startProjectService();
  }, 60_000);

  afterAll(async () => {
    await running.stop();
  });

  beforeEach(async () => {
    projects = (await clients({ uri: running.uri })).service<ProjectService>('project');
  });

  /** A project of a fresh owner with a fresh member in it, and an order the member placed. */
  async function placed(amount = 1500) {
    const owner = randomUUID();
    const member = randomUUID();
    const project = await projects.createProject(owner, 'Garden', 'A shared garden');
    await projects.addMember(project.id, member, owner);
    const order = await projects.placeOrder(project.id, member, 'Seeds', amount, 'EUR');
    return { owner, member, project, order };
  }

  const paymentTaken = (order: Order, paidBy: string, more: Record<string, unknown> = {}) => ({
    order: { id: order.id },
    payment_method: { id: 'pm_card_visa' },
    project: { id: order.project_id },
    paid_by: { id: paidBy },
    amount: order.amount,
    ...more,
  });

  /** Dispatches payment_taken as payment does, and waits until the service handled it. */
  async function pay(order: Order, paidBy: string) {
    const done = workersDone(running.container, 'markOrderPaid', order.id);
    await running.payment.dispatch('payment', 'payment_taken', paymentTaken(order, paidBy));
    expect((await done)[0]!.error).toBeUndefined();
  }

  it('takes an order from placed to paid when payment takes the money, announcing each step', async () => {
    const { owner, member, project, order } = await placed();
    expect(order).toMatchObject({ status: 'awaiting_payment', amount: 1500, currency: 'EUR', placed_by: member, version: 1 });
    const { members: _members, ...created } = project;
    expect(await announcedAbout('project_created', project.id)).toEqual([{ project: created }]);
    expect(await announcedAbout('member_added', member)).toEqual([
      { project: { id: project.id, name: 'Garden' }, member: { id: member }, added_by: { id: owner } },
    ]);
    expect(await announcedAbout('order_placed', order.id)).toEqual([
      {
        order: { id: order.id, description: 'Seeds', amount: 1500, currency: 'EUR', status: 'awaiting_payment' },
        project: { id: project.id, name: 'Garden', owner_id: owner },
        placed_by: { id: member },
      },
    ]);

    await pay(order, member);

    const paid = await projects.getOrder(order.id, owner);
    expect(paid).toMatchObject({ status: 'paid', version: 2 });
    expect(await announcedAbout('order_paid', order.id)).toEqual([{ order: paid, project: { id: project.id }, paid_by: { id: member } }]);
  });

  it('pays an order once, however often and however differently payment says it took the money', async () => {
    const { member, order } = await placed();
    const done = workersDone(running.container, 'markOrderPaid', order.id, 3);
    const message = eventMessage('payment', 'payment_taken', paymentTaken(order, member), {});
    await running.payment.transport.publish(message);
    await running.payment.transport.publish(message); // a duplicate: the same message id
    await running.payment.dispatch('payment', 'payment_taken', paymentTaken(order, member, { payment_method: { id: 'pm_other_card' } }));

    expect((await done).map((outcome) => outcome.error)).toEqual([undefined, undefined, undefined]);
    await expect(projects.getOrder(order.id, member)).resolves.toMatchObject({ status: 'paid', version: 2 });
    expect(await outboxEvents(running.knex, 'order_paid', order.id)).toHaveLength(1);
    expect(await announcedAbout('order_paid', order.id)).toHaveLength(1);
    const processed = await running.knex('shimeji_processed_messages').where({ message_id: message.properties.messageId });
    expect(processed.map((row: { consumer: string }) => row.consumer)).toEqual(['project.markOrderPaid']);
  });

  it('refunds a paid order when payment gives the money back, recording who asked and why', async () => {
    const { owner, member, order } = await placed();
    await pay(order, member);
    const done = workersDone(running.container, 'markOrderRefunded', order.id);
    await running.payment.dispatch('payment', 'payment_refunded', { order: { id: order.id }, reason: 'customer asked', actor: { id: owner } });
    expect((await done)[0]!.error).toBeUndefined();

    await expect(projects.getOrder(order.id, member)).resolves.toMatchObject({ status: 'refunded', version: 3 });
    const history = await running.knex('order_status_changes').where({ order_id: order.id }).orderBy('id');
    expect(history.map((h: Record<string, unknown>) => [h.status, h.actor_id, h.reason])).toEqual([
      ['awaiting_payment', member, null],
      ['paid', member, null],
      ['refunded', owner, 'customer asked'],
    ]);
  });

  it('cancels an order only while it awaits payment', async () => {
    const { owner, member, project, order } = await placed();
    const cancelled = await projects.cancelOrder(order.id, owner);
    expect(cancelled).toMatchObject({ status: 'cancelled', version: 2 });
    expect(await announcedAbout('order_cancelled', order.id)).toEqual([
      { order: cancelled, project: { id: project.id }, cancelled_by: { id: owner } },
    ]);
    await expect(projects.cancelOrder(order.id, owner)).rejects.toBeInstanceOf(InvalidOrderState);

    const paid = await projects.placeOrder(project.id, member, 'Soil', 700, 'EUR');
    await pay(paid, member);
    await expect(projects.cancelOrder(paid.id, member)).rejects.toBeInstanceOf(InvalidOrderState);
    await expect(projects.getOrder(paid.id, member)).resolves.toMatchObject({ status: 'paid', version: 2 });
  });

  it('lets exactly one of several simultaneous cancellations win', async () => {
    const { member, order } = await placed();
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => projects.cancelOrder(order.id, member)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as Error).constructor] : []));
    expect(losers.filter((cls) => cls !== InvalidOrderState && cls !== ConcurrentChange)).toEqual([]);
    await expect(projects.getOrder(order.id, member)).resolves.toMatchObject({ status: 'cancelled', version: 2 });
    expect(await outboxEvents(running.knex, 'order_cancelled', order.id)).toHaveLength(1);
  });

  it('keeps one membership when a member is added twice, and announces it once', async () => {
    const { owner, member, project } = await placed();
    const again = await projects.addMember(project.id, member, owner);
    expect(again).toMatchObject({ project_id: project.id, user_id: member, role: 'member', added_by: owner });
    const seen = await projects.getProject(project.id, member);
    expect(seen.members.map((m) => [m.user_id, m.role])).toEqual([
      [owner, 'owner'],
      [member, 'member'],
    ]);
    expect(seen.version).toBe(2);
    expect(await outboxEvents(running.knex, 'member_added', member)).toHaveLength(1);
  });

  it('lists a user’s projects, pages through every project with member counts, and serves admin reads of orders', async () => {
    const { owner, member, project, order } = await placed();
    const second = await projects.placeOrder(project.id, owner, 'Tools', 900, 'GBP');
    expect((await projects.listProjectsForUser(member)).map((p) => p.id)).toEqual([project.id]);
    const { members: _members, ...bare } = project;
    const page = await projects.listProjects(1, 1);
    expect(page.items).toEqual([{ ...bare, version: 2, member_count: 2 }]);
    expect(page.total).toBe(Number((await running.knex('projects').count({ n: '*' }))[0]!.n));
    await expect(projects.getOrdersById([second.id, randomUUID(), order.id])).resolves.toEqual([second, order]);
    await expect(projects.listOrdersForProject(project.id)).resolves.toEqual([second, order]);
    await expect(projects.listOrders(project.id, member)).resolves.toEqual([second, order]);
  });

  it('serves the orders of many projects in one call, newest first, a project unknown or without orders adding none', async () => {
    const first = await placed(1500);
    const other = await placed(2500);
    const later = await projects.placeOrder(first.project.id, first.owner, 'Tools', 900, 'GBP');
    const empty = await projects.createProject(first.owner, 'Nothing yet');
    const asked = [first.project.id, randomUUID(), other.project.id, empty.id, first.project.id];
    await expect(projects.getOrdersByProjectId(asked)).resolves.toEqual([later, other.order, first.order]);
    await expect(projects.getOrdersByProjectId([empty.id])).resolves.toEqual([]);
    await expect(projects.getOrdersByProjectId([])).resolves.toEqual([]);
  });

  it('answers a customer probing someone else’s project or order with NotFound, and changes nothing', async () => {
    const { project, order } = await placed();
    const stranger = randomUUID();
    await projects.createProject(stranger, 'Mine');
    const before = await rowCounts(running.knex);
    const probes = [
      () => projects.getProject(project.id, stranger),
      () => projects.addMember(project.id, stranger, stranger),
      () => projects.placeOrder(project.id, stranger, 'Free stuff', 50, 'EUR'),
      () => projects.listOrders(project.id, stranger),
      () => projects.getOrder(order.id, stranger),
      () => projects.cancelOrder(order.id, stranger),
    ];
    for (const probe of probes) await expect(probe()).rejects.toBeInstanceOf(NotFound);
    const shape = (error: Error) => error.message.replace(/[0-9a-f-]{36}/g, '<id>');
    const theirs = (await projects.getProject(project.id, stranger).catch((e: Error) => e)) as Error;
    const nobodys = (await projects.getProject(randomUUID(), stranger).catch((e: Error) => e)) as Error;
    expect(shape(theirs)).toBe(shape(nobodys));
    expect(await rowCounts(running.knex)).toEqual(before);
    await expect(projects.getOrder(order.id, order.placed_by)).resolves.toEqual(order);
    expect((await projects.listProjectsForUser(stranger)).map((p) => p.name)).toEqual(['Mine']);
  });

  it('refuses bad input to every endpoint, naming the field, and writes nothing', async () => {
    const { owner, project, order } = await placed();
    const before = await rowCounts(running.knex);
    const attempts: [string, () => Promise<unknown>][] = [
      ['ownerId', () => projects.createProject(42 as never, 'Garden')],
      ['name', () => projects.createProject(owner, undefined as never)],
      ['name', () => projects.createProject(owner, 'x'.repeat(1000))],
      ['description', () => projects.createProject(owner, 'Garden', 'x'.repeat(5000))],
      ['projectId', () => projects.getProject("1' OR '1'='1", owner)],
      ['requesterId', () => projects.getProject(project.id, null as never)],
      ['userId', () => projects.listProjectsForUser(['a'] as never)],
      ['page', () => projects.listProjects('1' as never)],
      ['pageSize', () => projects.listProjects(1, 10_000)],
      ['userId', () => projects.addMember(project.id, 'someone', owner)],
      ['addedBy', () => projects.addMember(project.id, randomUUID(), undefined as never)],
      ['amount', () => projects.placeOrder(project.id, owner, 'Seeds', -100, 'EUR')],
      ['amount', () => projects.placeOrder(project.id, owner, 'Seeds', 0, 'EUR')],
      ['amount', () => projects.placeOrder(project.id, owner, 'Seeds', 12.5, 'EUR')],
      ['amount', () => projects.placeOrder(project.id, owner, 'Seeds', '1500' as never, 'EUR')],
      ['currency', () => projects.placeOrder(project.id, owner, 'Seeds', 1500, 'eur')],
      ['currency', () => projects.placeOrder(project.id, owner, 'Seeds', 1500, 978 as never)],
      ['description', () => projects.placeOrder(project.id, owner, 'x'.repeat(501), 1500, 'EUR')],
      ['description', () => projects.placeOrder(project.id, owner, undefined as never, 1500, 'EUR')],
      ['orderId', () => projects.getOrder('42', owner)],
      ['projectId', () => projects.listOrders({} as never, owner)],
      ['requesterId', () => projects.cancelOrder(order.id, 'me')],
      ['orderIds', () => projects.getOrdersById('all' as never)],
      ['orderIds', () => projects.getOrdersById([order.id, 'nope'])],
      ['projectId', () => projects.listOrdersForProject(7 as never)],
      ['projectIds', () => projects.getOrdersByProjectId(project.id as never)],
      ['projectIds', () => projects.getOrdersByProjectId([project.id, 'nope'])],
      ['projectIds', () => projects.getOrdersByProjectId([...Array(501)].map(() => randomUUID()))],
    ];
    for (const [field, attempt] of attempts) {
      const error = (await attempt().catch((e: unknown) => e)) as BadRequest;
      const fields = error instanceof BadRequest ? error.details.map((d) => d.field.split('.')[0]) : [];
      expect({ field, error: error?.constructor.name, fields }).toEqual({ field, error: 'BadRequest', fields: expect.arrayContaining([field]) });
    }

    const nobody = randomUUID();
    const unknownIds = [
      () => projects.getProject(nobody, owner),
      () => projects.addMember(nobody, randomUUID(), owner),
      () => projects.placeOrder(nobody, owner, 'Seeds', 1500, 'EUR'),
      () => projects.getOrder(nobody, owner),
      () => projects.listOrders(nobody, owner),
      () => projects.cancelOrder(nobody, owner),
      () => projects.listOrdersForProject(nobody),
    ];
    for (const attempt of unknownIds) await expect(attempt()).rejects.toBeInstanceOf(NotFound);
    await expect(projects.getOrdersById([nobody])).resolves.toEqual([]);
    await expect(projects.getOrdersByProjectId([nobody])).resolves.toEqual([]);
    await expect(projects.listProjectsForUser(nobody)).resolves.toEqual([]);

    expect(await rowCounts(running.knex)).toEqual(before);
    await expect(projects.getOrder(order.id, owner)).resolves.toEqual(order);
  });

  it('answers a call without an argument it needs with IncorrectSignature', async () => {
    const client = await clients({ uri: running.uri });
    const error = (await client.call('project', 'placeOrder', [randomUUID()]).catch((e: unknown) => e)) as RemoteError;
    expect(error.message).toMatch(/missing 4 required arguments/);
  });

  it('dead-letters payment events that do not fit, with the reason, and changes nothing', async () => {
    const { owner, member, project, order } = await placed(1500);
    const cancelled = await projects.placeOrder(project.id, member, 'Soil', 700, 'EUR');
    await projects.cancelOrder(cancelled.id, owner);
    const before = await rowCounts(running.knex);
    const marker = () => `pm_${randomUUID()}`;
    const taken = {
      malformed: marker(),
      unknownOrder: marker(),
      wrongAmount: marker(),
      cancelledOrder: marker(),
    };
    const send = (type: string, payload: unknown) => running.payment.dispatch('payment', type, payload);
    await send('payment_taken', { order: { id: 'ord_1' }, payment_method: { id: taken.malformed }, project: { id: project.id } });
    await send('payment_taken', paymentTaken({ ...order, id: randomUUID() }, member, { payment_method: { id: taken.unknownOrder } }));
    await send('payment_taken', paymentTaken(order, member, { amount: 15, payment_method: { id: taken.wrongAmount } }));
    await send('payment_taken', paymentTaken(cancelled, member, { payment_method: { id: taken.cancelledOrder } }));
    const refund = { notEnough: marker(), unpaid: marker() };
    await send('payment_refunded', { order: { id: order.id }, reason: '', refund_id: refund.notEnough });
    await send('payment_refunded', { order: { id: order.id }, reason: 'asked', refund_id: refund.unpaid });

    const reason = (queue: string, marked: string) => deadLetterReason(running.payment.transport, queue, marked);
    const malformed = await reason(PAYMENT_TAKEN_QUEUE, taken.malformed);
    expect(malformed).toMatch(/^handler project\.markOrderPaid failed 1 time\(s\): BadRequest: /);
    expect(malformed).toMatch(/order\.id/);
    expect(malformed).toMatch(/paid_by/);
    expect(await reason(PAYMENT_TAKEN_QUEUE, taken.unknownOrder)).toMatch(/NotFound: no order/);
    expect(await reason(PAYMENT_TAKEN_QUEUE, taken.wrongAmount)).toMatch(/BadRequest: amount: 15 is not the order's amount, 1500/);
    expect(await reason(PAYMENT_TAKEN_QUEUE, taken.cancelledOrder)).toMatch(/InvalidOrderState: .* is cancelled/);
    expect(await reason(PAYMENT_REFUNDED_QUEUE, refund.notEnough)).toMatch(/BadRequest: reason/);
    expect(await reason(PAYMENT_REFUNDED_QUEUE, refund.unpaid)).toMatch(/InvalidOrderState: .* is awaiting_payment: it cannot become refunded/);

    expect(await rowCounts(running.knex)).toEqual(before);
    await expect(projects.getOrder(order.id, member)).resolves.toEqual(order);
  });
});
