// Payment's events moving orders on, with fake storage: each takes effect once, and anything
// that does not fit raises, so that the broker dead-letters the event with the reason.
import { randomUUID } from 'node:crypto';
import * as exc from '../../src/exceptions';
import { failure, MEMBER, OWNER, paymentTaken, projectWithOrder } from './worker';

describe('payment taken', () => {
  it('marks the order paid and announces it', async () => {
    const { service, events, store, project, order } = await projectWithOrder();
    await service.markOrderPaid(paymentTaken(order, { amount: 1500 }));
    const paid = await service.getOrder(order.id, OWNER);
    expect(paid).toMatchObject({ status: 'paid', version: 2 });
    expect(events('order_paid')).toEqual([{ order: paid, project: { id: project.id }, paid_by: { id: MEMBER } }]);
    expect(store.statusChanges.at(-1)).toMatchObject({ status: 'paid', actorId: MEMBER });
  });

  it('has no second effect when the order is paid already, and says so in the log', async () => {
    const { service, events, store, log, order } = await projectWithOrder();
    await service.markOrderPaid(paymentTaken(order));
    const before = store.snapshot();
    await service.markOrderPaid(paymentTaken(order, { payment_method: { id: 'pm_2' } }));
    expect(store.snapshot()).toEqual(before);
    expect(events('order_paid')).toHaveLength(1);
    expect(log.warn.calls).toHaveLength(1);
  });

  it('refuses an unknown order, or one of another project or amount', async () => {
    const { service, order, project, events } = await projectWithOrder(1500);
    await expect(service.markOrderPaid(paymentTaken({ id: randomUUID(), project_id: project.id }))).rejects.toBeInstanceOf(exc.NotFound);
    await expect(service.markOrderPaid(paymentTaken(order, { project: { id: randomUUID() } }))).rejects.toThrow(/project\.id/);
    await expect(service.markOrderPaid(paymentTaken(order, { amount: 1499 }))).rejects.toThrow(/amount: 1499 is not the order's amount, 1500/);
    expect(events('order_paid')).toEqual([]);
  });

  it('leaves a cancelled order cancelled, with a warning: payment refunds that money', async () => {
    const { service, store, order, events, log } = await projectWithOrder(1500);
    await service.cancelOrder(order.id, MEMBER);
    const before = store.snapshot();
    await service.markOrderPaid(paymentTaken(order));
    expect(store.snapshot()).toEqual(before);
    expect(events('order_paid')).toEqual([]);
    expect(log.warn.calls).toHaveLength(1);
  });

  it('refuses a malformed payload naming the fields, and writes nothing', async () => {
    const { service, store, order } = await projectWithOrder();
    const before = store.snapshot();
    const error = (await failure(service.markOrderPaid({ order: { id: 42 }, project: { id: order.project_id }, paid_by: {} }))) as exc.BadRequest;
    expect(error.details.map((d) => d.field).sort()).toEqual(['order.id', 'paid_by.id', 'payment_method']);
    await expect(service.markOrderPaid('payment taken')).rejects.toBeInstanceOf(exc.BadRequest);
    await expect(service.markOrderPaid(paymentTaken(order, { amount: -5 }))).rejects.toThrow(/amount/);
    expect(store.snapshot()).toEqual(before);
  });

  it('reads the order again when it changed meanwhile, and finds it paid by the other event', async () => {
    const { service, db, events, order } = await projectWithOrder();
    const changeStatus = db.orders.changeStatus.bind(db.orders);
    let raced = false;
    db.orders.changeStatus = async (current, status, record) => {
      if (!raced) {
        raced = true;
        await changeStatus(current, status, record); // the concurrent event wins ...
      }
      return changeStatus(current, status, record); // ... so this one's version is stale
    };
    await service.markOrderPaid(paymentTaken(order));
    expect(raced).toBe(true);
    expect(events('order_paid')).toEqual([]);
    await expect(service.getOrder(order.id, MEMBER)).resolves.toMatchObject({ status: 'paid', version: 2 });
  });
});

describe('payment refunded', () => {
  it('marks a paid order refunded, once, recording the reason and who asked', async () => {
    const { service, store, order } = await projectWithOrder();
    await service.markOrderPaid(paymentTaken(order));
    const refund = { order: { id: order.id }, reason: 'duplicate charge', actor: { id: OWNER } };
    await service.markOrderRefunded(refund);
    await service.markOrderRefunded(refund);
    await expect(service.getOrder(order.id, MEMBER)).resolves.toMatchObject({ status: 'refunded', version: 3 });
    expect(store.statusChanges.filter((c) => c.orderId === order.id).map((c) => c.status)).toEqual(['awaiting_payment', 'paid', 'refunded']);
    expect(store.statusChanges.at(-1)).toEqual({ orderId: order.id, status: 'refunded', actorId: OWNER, reason: 'duplicate charge' });
  });

  it('keeps a late payment taken from undoing a refund', async () => {
    const { service, order } = await projectWithOrder();
    await service.markOrderPaid(paymentTaken(order));
    await service.markOrderRefunded({ order: { id: order.id }, reason: 'asked' });
    await service.markOrderPaid(paymentTaken(order));
    await expect(service.getOrder(order.id, MEMBER)).resolves.toMatchObject({ status: 'refunded' });
  });

  it('refuses to refund an order that was never paid, an unknown one, or a payload without a reason', async () => {
    const { service, order } = await projectWithOrder();
    await expect(service.markOrderRefunded({ order: { id: order.id }, reason: 'why' })).rejects.toBeInstanceOf(exc.InvalidOrderState);
    await expect(service.markOrderRefunded({ order: { id: randomUUID() }, reason: 'why' })).rejects.toBeInstanceOf(exc.NotFound);
    await expect(service.markOrderRefunded({ order: { id: order.id } })).rejects.toThrow(/reason/);
  });
});
