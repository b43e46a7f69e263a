// An admin cancels a paid order: the project service holds it `cancelling`, its saga has payment
// refund it (a stand-in payment service here, which checks the caller's token as payment does and
// records each call's idempotency key), and only then is the order cancelled and announced. A
// refund payment refuses puts the order back to paid, announcing nothing.
import { randomUUID } from 'node:crypto';
import { ROLE } from '@platform/schemas';
import { DependencyProvider, inject, rpc, service, ServiceContainer, type WorkerContext } from '@platform/shimeji';
import { accessConfig, actingAs, eventually, rpcClientFactory } from '@platform/shimeji/testing';
import type { ProjectService } from '../../src/service';
import { announcedAbout, errors, outboxEvents, type Running, startProjectService, workersDone } from './harness';

/** The call's context data, as the worker was given it. */
class CallData extends DependencyProvider<Readonly<Record<string, unknown>>> {
  getDependency(ctx: WorkerContext) {
    return ctx.data;
  }
}

class RefundRefused extends Error {
  static excPath = 'payment.exceptions.BadRequest';
}

const refunds: { orderId: string; reason: string; actorId: string; key: unknown }[] = [];
const refusing = new Set<string>();

@service('payment')
class PaymentStandIn {
  data = inject(new CallData());

  @rpc({ allow: [ROLE.admin, ROLE.service], expectedExceptions: [RefundRefused] })
  async refundPayment(orderId: string, reason: string, actorId: string) {
    if (refusing.has(orderId)) throw new RefundRefused(`order ${orderId} cannot be refunded: the card is closed`);
    refunds.push({ orderId, reason, actorId, key: this.data.idempotency_key });
    return { order_id: orderId, state: 'refunded' };
  }
}

describe('an admin cancelling a paid order', () => {
  const clients = rpcClientFactory({ timeoutMs: 20_000, errors });
  let running: Running;
  let payment: ServiceContainer;
  const adminId = randomUUID();

  beforeAll(async () => {
    running = await startProjectService();
    payment = new ServiceContainer(PaymentStandIn, { AMQP_URI: running.uri, logLevel: 'silent', ...accessConfig() });
    await payment.start();
  }, 60_000);
  afterAll(async () => {
    await payment?.stop();
    await running?.stop();
  });

  async function paidOrder() {
    const projects = (await clients({ uri: running.uri })).service<ProjectService>('project');
    const [owner, member] = [randomUUID(), randomUUID()];
    const by = (id: string) => actingAs({ sub: id, role: ROLE.customer }, projects);
    const project = await by(owner).createProject(owner, 'Garden');
    await by(owner).addMember(project.id, member, owner);
    const order = await by(member).placeOrder(project.id, member, 'Seeds', 1500, 'EUR');
    const done = workersDone(running.container, 'markOrderPaid', order.id);
    await running.payment.dispatch('payment', 'payment_taken', {
      order: { id: order.id }, payment_method: { id: 'pm_card_visa' }, project: { id: project.id }, paid_by: { id: member }, amount: 1500,
    });
    expect((await done)[0]!.error).toBeUndefined();
    const admin = actingAs({ sub: adminId, role: ROLE.admin, audience: 'admin' }, projects);
    return { order, admin, project };
  }

  const statusOf = async (orderId: string) => (await running.knex('orders').where({ id: orderId }).first()).status as string;
  const historyOf = async (orderId: string) =>
    (await running.knex('order_status_changes').where({ order_id: orderId }).orderBy('id')).map((h: Record<string, unknown>) => [h.status, h.reason]);

  it('holds it cancelling, has payment refund it once under the saga’s key, then cancels and announces it', async () => {
    const { order, admin, project } = await paidOrder();
    const held = await admin.cancelAnyOrder(order.id, 'the seeds never came', adminId);
    expect(held).toMatchObject({ id: order.id, status: 'cancelling' });
    await eventually('the order to be cancelled', async () => ((await statusOf(order.id)) === 'cancelled' ? true : undefined), 20_000);

    const saga = await running.knex('shimeji_sagas').where({ name: 'cancel_paid_order' }).whereRaw(`context->>'orderId' = ?`, [order.id]).first();
    expect(saga).toMatchObject({ status: 'completed' });
    expect(refunds.filter((r) => r.orderId === order.id)).toEqual([{ orderId: order.id, reason: 'the seeds never came', actorId: adminId, key: `saga:${saga.id}:refund` }]);
    const [announced] = await announcedAbout('order_cancelled', order.id);
    expect(announced).toMatchObject({ order: { id: order.id, status: 'cancelled' }, project: { id: project.id }, cancelled_by: { id: adminId }, reason: 'the seeds never came' });
    expect(await historyOf(order.id)).toEqual([
      ['awaiting_payment', null],
      ['paid', null],
      ['cancelling', 'the seeds never came'],
      ['cancelled', 'the seeds never came'],
    ]);
    // Payment's own refund event, when it comes, leaves the cancelled order as it is.
    const refundedEvent = workersDone(running.container, 'markOrderRefunded', order.id);
    await running.payment.dispatch('payment', 'payment_refunded', { order: { id: order.id }, reason: 'the seeds never came', actor: { id: adminId } });
    expect((await refundedEvent)[0]!.error).toBeUndefined();
    expect(await statusOf(order.id)).toBe('cancelled');
  }, 60_000);

  it('puts the order back to paid when payment refuses the refund, and announces no cancellation', async () => {
    const { order, admin } = await paidOrder();
    refusing.add(order.id);
    await expect(admin.cancelAnyOrder(order.id, 'changed my mind', adminId)).resolves.toMatchObject({ status: 'cancelling' });
    const saga = await eventually('the saga to be compensated', async () => {
      const row = await running.knex('shimeji_sagas').where({ name: 'cancel_paid_order' }).whereRaw(`context->>'orderId' = ?`, [order.id]).first();
      return row?.status === 'compensated' ? row : undefined;
    }, 30_000);
    expect(saga.failure).toMatch(/cannot be refunded: the card is closed/);
    expect(await statusOf(order.id)).toBe('paid');
    expect((await historyOf(order.id)).slice(-2)).toEqual([
      ['cancelling', 'changed my mind'],
      ['paid', 'cancellation undone: the refund could not be made (changed my mind)'],
    ]);
    expect(await outboxEvents(running.knex, 'order_cancelled', order.id)).toEqual([]);
  }, 60_000);
});
