// The project service in a container on the real PostgreSQL and RabbitMQ, called as facades call
// it, and sent payment's events as payment sends them.
import { randomUUID } from 'node:crypto';
import { eventMessage, Forbidden, NotAuthorized, type RemoteError, type ServiceProxy } from '@platform/shimeji';
import { ROLE } from '@platform/schemas';
import { actingAs, as, rpcClientFactory } from '@platform/shimeji/testing';
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
  /** The service as a call without a token reaches it. */
  let projects: ServiceProxy<ProjectService>;
  /** As the admin facade calls it for an admin: the staff reads. */
  let staff: ServiceProxy<ProjectService>;
  /** As the web facade calls it for the customer `id`. */
  const by = (id: string) => actingAs({ sub: id, role: ROLE.customer }, projects);

  beforeAll(async () => {
    running = await startProjectService();
  }, 60_000);

  afterAll(async () => {
    await running.stop();
  });

  beforeEach(async () => {
    projects = (await clients({ uri: running.uri })).service<ProjectService>('project');
    staff = actingAs({ sub: randomUUID(), role: ROLE.admin, audience: 'admin' }, projects);
  });

  /** A project of a fresh owner with a fresh member in it, and an order the member placed. */
  async function placed(amount = 1500) {
    const owner = randomUUID();
    const member = randomUUID();
    const project = await by(owner).createProject(owner, 'Garden', 'A shared garden');
    await by(owner).addMember(project.id, member, owner);
    const order = await by(member).placeOrder(project.id, member, 'Seeds', amount, 'EUR');
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

    const paid = await by(owner).getOrder(order.id, owner);
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
    await expect(by(member).getOrder(order.id, member)).resolves.toMatchObject({ status: 'paid', version: 2 });
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

    await expect(by(member).getOrder(order.id, member)).resolves.toMatchObject({ status: 'refunded', version: 3 });
    const history = await running.knex('order_status_changes').where({ order_id: order.id }).orderBy('id');
    expect(history.map((h: Record<string, unknown>) => [h.status, h.actor_id, h.reason])).toEqual([
      ['awaiting_payment', member, null],
      ['paid', member, null],
      ['refunded', owner, 'customer asked'],
    ]);
  });

  it('cancels an order only while it awaits payment', async () => {
    const { owner, member, project, order } = await placed();
    const cancelled = await by(owner).cancelOrder(order.id, owner);
    expect(cancelled).toMatchObject({ status: 'cancelled', version: 2 });
    expect(await announcedAbout('order_cancelled', order.id)).toEqual([
      { order: cancelled, project: { id: project.id }, cancelled_by: { id: owner }, reason: null },
    ]);
    await expect(by(owner).cancelOrder(order.id, owner)).rejects.toBeInstanceOf(InvalidOrderState);

    const paid = await by(member).placeOrder(project.id, member, 'Soil', 700, 'EUR');
    await pay(paid, member);
    await expect(by(member).cancelOrder(paid.id, member)).rejects.toBeInstanceOf(InvalidOrderState);
    await expect(by(member).getOrder(paid.id, member)).resolves.toMatchObject({ status: 'paid', version: 2 });
  });

  it('lets an admin cancel any order awaiting payment, keeping and announcing the reason', async () => {
    const { member, project, order } = await placed();
    const adminId = randomUUID();
    const admin = actingAs({ sub: adminId, role: ROLE.admin, audience: 'admin' }, projects);
    const cancelled = await admin.cancelAnyOrder(order.id, 'duplicate order', adminId);
    expect(cancelled).toMatchObject({ status: 'cancelled', version: 2 });
    expect(await announcedAbout('order_cancelled', order.id)).toEqual([
      { order: cancelled, project: { id: project.id }, cancelled_by: { id: adminId }, reason: 'duplicate order' },
    ]);
    const history = await running.knex('order_status_changes').where({ order_id: order.id }).orderBy('id');
    expect(history.map((h: Record<string, unknown>) => [h.status, h.actor_id, h.reason])).toEqual([
      ['awaiting_payment', member, null],
      ['cancelled', adminId, 'duplicate order'],
    ]);
    await expect(admin.cancelAnyOrder(order.id, 'again', adminId)).rejects.toBeInstanceOf(InvalidOrderState);
    await expect(admin.cancelAnyOrder(randomUUID(), 'gone', adminId)).rejects.toBeInstanceOf(NotFound);
    const before = await rowCounts(running.knex);
    const other = await placed();
    const counted = await rowCounts(running.knex);
    for (const reason of ['', ' ', 'x'.repeat(501)]) await expect(admin.cancelAnyOrder(other.order.id, reason, adminId)).rejects.toBeInstanceOf(BadRequest);
    await expect(admin.cancelAnyOrder(other.order.id, 'in someone else’s name', member)).rejects.toBeInstanceOf(Forbidden);
    await expect(by(member).cancelAnyOrder(other.order.id, 'a customer', member)).rejects.toBeInstanceOf(Forbidden);
    expect(await rowCounts(running.knex)).toEqual(counted);
    expect(counted).not.toEqual(before);
  });

  it('leaves a cancelled order cancelled when payment says it took or gave back money for it: payment refunds it', async () => {
    const { owner, member, order } = await placed();
    await by(owner).cancelOrder(order.id, owner);
    const taken = workersDone(running.container, 'markOrderPaid', order.id);
    await running.payment.dispatch('payment', 'payment_taken', paymentTaken(order, member));
    expect((await taken)[0]!.error).toBeUndefined();
    const refunded = workersDone(running.container, 'markOrderRefunded', order.id);
    await running.payment.dispatch('payment', 'payment_refunded', { order: { id: order.id }, reason: 'order cancelled', actor: { id: owner } });
    expect((await refunded)[0]!.error).toBeUndefined();
    await expect(by(member).getOrder(order.id, member)).resolves.toMatchObject({ status: 'cancelled', version: 2 });
    expect(await outboxEvents(running.knex, 'order_paid', order.id)).toEqual([]);
  });

  it('lets exactly one of several simultaneous cancellations win', async () => {
    const { member, order } = await placed();
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => by(member).cancelOrder(order.id, member)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as Error).constructor] : []));
    expect(losers.filter((cls) => cls !== InvalidOrderState && cls !== ConcurrentChange)).toEqual([]);
    await expect(by(member).getOrder(order.id, member)).resolves.toMatchObject({ status: 'cancelled', version: 2 });
    expect(await outboxEvents(running.knex, 'order_cancelled', order.id)).toHaveLength(1);
  });

  it('keeps one membership when a member is added twice, and announces it once', async () => {
    const { owner, member, project } = await placed();
    const again = await by(owner).addMember(project.id, member, owner);
    expect(again).toMatchObject({ project_id: project.id, user_id: member, role: 'member', added_by: owner });
    const seen = await by(member).getProject(project.id, member);
    expect(seen.members.map((m) => [m.user_id, m.role])).toEqual([
      [owner, 'owner'],
      [member, 'member'],
    ]);
    expect(seen.version).toBe(2);
    expect(await outboxEvents(running.knex, 'member_added', member)).toHaveLength(1);
  });

  it('lists a user’s projects, pages through every project with member counts, and serves admin reads of orders', async () => {
    const { owner, member, project, order } = await placed();
    const second = await by(owner).placeOrder(project.id, owner, 'Tools', 900, 'GBP');
    expect((await staff.listProjectsForUser(member)).map((p) => p.id)).toEqual([project.id]);
    const { members: _members, ...bare } = project;
    const page = await staff.listProjects(1, 1);
    expect(page.items).toEqual([{ ...bare, version: 2, member_count: 2 }]);
    expect(page.total).toBe(Number((await running.knex('projects').count({ n: '*' }))[0]!.n));
    await expect(staff.getOrdersById([second.id, randomUUID(), order.id])).resolves.toEqual([second, order]);
    await expect(staff.listOrdersForProject(project.id)).resolves.toEqual([second, order]);
    await expect(by(member).listOrders(project.id, member)).resolves.toEqual([second, order]);
  });

  it('serves the orders of many projects in one call, newest first, a project unknown or without orders adding none', async () => {
    const first = await placed(1500);
    const other = await placed(2500);
    const later = await by(first.owner).placeOrder(first.project.id, first.owner, 'Tools', 900, 'GBP');
    const empty = await by(first.owner).createProject(first.owner, 'Nothing yet');
    const asked = [first.project.id, randomUUID(), other.project.id, empty.id, first.project.id];
    await expect(staff.getOrdersByProjectId(asked)).resolves.toEqual([later, other.order, first.order]);
    await expect(staff.getOrdersByProjectId([empty.id])).resolves.toEqual([]);
    await expect(staff.getOrdersByProjectId([])).resolves.toEqual([]);
  });

  it('answers a customer probing someone else’s project or order with NotFound, and changes nothing', async () => {
    const { project, order } = await placed();
    const stranger = randomUUID();
    await by(stranger).createProject(stranger, 'Mine');
    const before = await rowCounts(running.knex);
    const probes = [
      () => by(stranger).getProject(project.id, stranger),
      () => by(stranger).addMember(project.id, stranger, stranger),
      () => by(stranger).placeOrder(project.id, stranger, 'Free stuff', 50, 'EUR'),
      () => by(stranger).listOrders(project.id, stranger),
      () => by(stranger).getOrder(order.id, stranger),
      () => by(stranger).cancelOrder(order.id, stranger),
    ];
    for (const probe of probes) await expect(probe()).rejects.toBeInstanceOf(NotFound);
    const shape = (error: Error) => error.message.replace(/[0-9a-f-]{36}/g, '<id>');
    const theirs = (await by(stranger).getProject(project.id, stranger).catch((e: Error) => e)) as Error;
    const nobodys = (await by(stranger).getProject(randomUUID(), stranger).catch((e: Error) => e)) as Error;
    expect(shape(theirs)).toBe(shape(nobodys));
    expect(await rowCounts(running.knex)).toEqual(before);
    await expect(by(order.placed_by).getOrder(order.id, order.placed_by)).resolves.toEqual(order);
    expect((await staff.listProjectsForUser(stranger)).map((p) => p.name)).toEqual(['Mine']);
  });

  it('refuses bad input to every endpoint, naming the field, and writes nothing', async () => {
    const { owner, project, order } = await placed();
    const before = await rowCounts(running.knex);
    const attempts: [string, () => Promise<unknown>][] = [
      ['name', () => by(owner).createProject(owner, undefined as never)],
      ['name', () => by(owner).createProject(owner, 'x'.repeat(1000))],
      ['description', () => by(owner).createProject(owner, 'Garden', 'x'.repeat(5000))],
      ['projectId', () => by(owner).getProject("1' OR '1'='1", owner)],
      ['userId', () => staff.listProjectsForUser(['a'] as never)],
      ['page', () => staff.listProjects('1' as never)],
      ['pageSize', () => staff.listProjects(1, 10_000)],
      ['userId', () => by(owner).addMember(project.id, 'someone', owner)],
      ['amount', () => by(owner).placeOrder(project.id, owner, 'Seeds', -100, 'EUR')],
      ['amount', () => by(owner).placeOrder(project.id, owner, 'Seeds', 0, 'EUR')],
      ['amount', () => by(owner).placeOrder(project.id, owner, 'Seeds', 12.5, 'EUR')],
      ['amount', () => by(owner).placeOrder(project.id, owner, 'Seeds', '1500' as never, 'EUR')],
      ['currency', () => by(owner).placeOrder(project.id, owner, 'Seeds', 1500, 'eur')],
      ['currency', () => by(owner).placeOrder(project.id, owner, 'Seeds', 1500, 978 as never)],
      ['description', () => by(owner).placeOrder(project.id, owner, 'x'.repeat(501), 1500, 'EUR')],
      ['description', () => by(owner).placeOrder(project.id, owner, undefined as never, 1500, 'EUR')],
      ['orderId', () => by(owner).getOrder('42', owner)],
      ['projectId', () => by(owner).listOrders({} as never, owner)],
      ['orderIds', () => staff.getOrdersById('all' as never)],
      ['orderIds', () => staff.getOrdersById([order.id, 'nope'])],
      ['projectId', () => staff.listOrdersForProject(7 as never)],
      ['projectIds', () => staff.getOrdersByProjectId(project.id as never)],
      ['projectIds', () => staff.getOrdersByProjectId([project.id, 'nope'])],
      ['projectIds', () => staff.getOrdersByProjectId([...Array(501)].map(() => randomUUID()))],
    ];
    for (const [field, attempt] of attempts) {
      const error = (await attempt().catch((e: unknown) => e)) as BadRequest;
      const fields = error instanceof BadRequest ? error.details.map((d) => d.field.split('.')[0]) : [];
      expect({ field, error: error?.constructor.name, fields }).toEqual({ field, error: 'BadRequest', fields: expect.arrayContaining([field]) });
    }

    const nobody = randomUUID();
    const unknownIds = [
      () => by(owner).getProject(nobody, owner),
      () => by(owner).addMember(nobody, randomUUID(), owner),
      () => by(owner).placeOrder(nobody, owner, 'Seeds', 1500, 'EUR'),
      () => by(owner).getOrder(nobody, owner),
      () => by(owner).listOrders(nobody, owner),
      () => by(owner).cancelOrder(nobody, owner),
      () => staff.listOrdersForProject(nobody),
    ];
    for (const attempt of unknownIds) await expect(attempt()).rejects.toBeInstanceOf(NotFound);
    await expect(staff.getOrdersById([nobody])).resolves.toEqual([]);
    await expect(staff.getOrdersByProjectId([nobody])).resolves.toEqual([]);
    await expect(staff.listProjectsForUser(nobody)).resolves.toEqual([]);

    expect(await rowCounts(running.knex)).toEqual(before);
    await expect(by(owner).getOrder(order.id, owner)).resolves.toEqual(order);
  });

  it('answers a call without an argument it needs with IncorrectSignature', async () => {
    const client = await clients({ uri: running.uri, contextData: await as({ sub: randomUUID(), role: ROLE.customer }) });
    const error = (await client.call('project', 'placeOrder', [randomUUID()]).catch((e: unknown) => e)) as RemoteError;
    expect(error.message).toMatch(/missing 4 required arguments/);
  });

  it('refuses a call without a token, a customer acting in another’s name and a customer reading as staff, and writes nothing', async () => {
    const { owner, member, project, order } = await placed();
    const before = await rowCounts(running.knex);
    await expect(projects.createProject(owner, 'No token')).rejects.toBeInstanceOf(NotAuthorized);
    await expect(projects.getOrdersById([order.id])).rejects.toBeInstanceOf(NotAuthorized);
    const refused = [
      () => by(member).createProject(owner, 'In the owner’s name'),
      () => by(member).addMember(project.id, randomUUID(), owner),
      () => by(owner).placeOrder(project.id, member, 'Seeds', 1500, 'EUR'),
      () => by(owner).cancelOrder(order.id, member),
      () => by(member).listProjects(1, 10),
      () => by(member).listOrdersForProject(project.id),
      () => by(member).getOrdersById([order.id]),
      () => by(member).listProjectsForUser(owner),
    ];
    for (const attempt of refused) await expect(attempt()).rejects.toBeInstanceOf(Forbidden);
    expect(await rowCounts(running.knex)).toEqual(before);
    await expect(by(member).listProjectsForUser(member)).resolves.toEqual([expect.objectContaining({ id: project.id })]);
    await expect(actingAs({ service: 'payment' }, projects).getOrdersById([order.id])).resolves.toEqual([order]);
  });

  it('dead-letters payment events that do not fit, with the reason, and changes nothing', async () => {
    const { member, project, order } = await placed(1500);
    const before = await rowCounts(running.knex);
    const marker = () => `pm_${randomUUID()}`;
    const taken = {
      malformed: marker(),
      unknownOrder: marker(),
      wrongAmount: marker(),
    };
    const send = (type: string, payload: unknown) => running.payment.dispatch('payment', type, payload);
    await send('payment_taken', { order: { id: 'ord_1' }, payment_method: { id: taken.malformed }, project: { id: project.id } });
    await send('payment_taken', paymentTaken({ ...order, id: randomUUID() }, member, { payment_method: { id: taken.unknownOrder } }));
    await send('payment_taken', paymentTaken(order, member, { amount: 15, payment_method: { id: taken.wrongAmount } }));
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
    expect(await reason(PAYMENT_REFUNDED_QUEUE, refund.notEnough)).toMatch(/BadRequest: reason/);
    expect(await reason(PAYMENT_REFUNDED_QUEUE, refund.unpaid)).toMatch(/InvalidOrderState: .* is awaiting_payment: it cannot become refunded/);

    expect(await rowCounts(running.knex)).toEqual(before);
    await expect(by(member).getOrder(order.id, member)).resolves.toEqual(order);
  });
});
