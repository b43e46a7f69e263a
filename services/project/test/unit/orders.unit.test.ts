// Placing, reading and cancelling orders, with fake storage: no database, no broker.
import { randomUUID } from 'node:crypto';
import { ConcurrencyConflict } from '@platform/db';
import * as exc from '../../src/exceptions';
import { failure, MEMBER, OWNER, projectWithOrder, projectWorker, STRANGER } from './worker';

describe('placing an order', () => {
  it('awaits payment and tells payment everything it needs to charge it', async () => {
    const { service, events } = projectWorker();
    const project = await service.createProject(OWNER, 'Garden');
    const order = await service.placeOrder(project.id, OWNER, ' Seeds ', 1500, 'EUR');
    expect(order).toMatchObject({ project_id: project.id, description: 'Seeds', amount: 1500, currency: 'EUR', placed_by: OWNER });
    expect(order).toMatchObject({ status: 'awaiting_payment', version: 1 });
    expect(events('order_placed')).toEqual([
      {
        order: { id: order.id, description: 'Seeds', amount: 1500, currency: 'EUR', status: 'awaiting_payment' },
        project: { id: project.id, name: 'Garden', owner_id: OWNER },
        placed_by: { id: OWNER },
      },
    ]);
  });

  it('answers a non-member with NotFound and places nothing', async () => {
    const { service, store, events } = projectWorker();
    const project = await service.createProject(OWNER, 'Garden');
    await expect(service.placeOrder(project.id, STRANGER, 'Seeds', 1500, 'EUR')).rejects.toBeInstanceOf(exc.NotFound);
    expect(store.orders.size).toBe(0);
    expect(events('order_placed')).toEqual([]);
  });

  it.each([
    ['amount', 0],
    ['amount', -100],
    ['amount', 12.5],
    ['amount', '1500'],
    ['amount', Number.MAX_SAFE_INTEGER + 2],
    ['amount', 100_000_000], // more than Stripe charges in one payment: it could never be paid
    ['amount', 49], // less than Stripe charges in EUR
    ['currency', 'eur'],
    ['currency', 'XDR'], // a real ISO 4217 code, but no currency Stripe charges in
    ['currency', 'EURO'],
    ['currency', 'ABC'],
    ['description', ''],
    ['description', 'x'.repeat(501)],
  ])('refuses a %s of %p naming the field, and writes nothing', async (field, value) => {
    const { service, store, dispatch } = projectWorker();
    const project = await service.createProject(OWNER, 'Garden');
    dispatch.calls.length = 0;
    const before = store.snapshot();
    const args: Record<string, unknown> = { description: 'Seeds', amount: 1500, currency: 'EUR', [field]: value };
    const error = (await failure(service.placeOrder(project.id, OWNER, args.description as never, args.amount as never, args.currency as never))) as exc.BadRequest;
    expect(error).toBeInstanceOf(exc.BadRequest);
    expect(error.details.map((d) => d.field)).toEqual([field]);
    expect(store.snapshot()).toEqual(before);
    expect(dispatch.calls).toEqual([]);
  });
});

describe('reading orders', () => {
  it('shows an order and the project’s orders to members only', async () => {
    const { service, project, order } = await projectWithOrder();
    await expect(service.getOrder(order.id, OWNER)).resolves.toEqual(order);
    await expect(service.listOrders(project.id, MEMBER)).resolves.toEqual([order]);
    await expect(service.getOrder(order.id, STRANGER)).rejects.toBeInstanceOf(exc.NotFound);
    await expect(service.getOrder(randomUUID(), MEMBER)).rejects.toBeInstanceOf(exc.NotFound);
    await expect(service.listOrders(project.id, STRANGER)).rejects.toBeInstanceOf(exc.NotFound);
  });

  it('gives admin facades orders by id and by project without a requester', async () => {
    const { service, project, order } = await projectWithOrder();
    const second = await service.placeOrder(project.id, OWNER, 'Tools', 900, 'GBP');
    await expect(service.getOrdersById([second.id, randomUUID(), order.id])).resolves.toEqual([second, order]);
    await expect(service.listOrdersForProject(project.id)).resolves.toEqual([second, order]);
    await expect(service.listOrdersForProject(randomUUID())).rejects.toBeInstanceOf(exc.NotFound);
    await expect(service.getOrdersById('all' as never)).rejects.toThrow(/orderIds/);
    await expect(service.getOrdersById([...Array(501)].map(() => randomUUID()))).rejects.toThrow(/orderIds/);
  });

  it('gives admin facades the orders of many projects in one call to storage, newest first', async () => {
    const { service, db, project, order } = await projectWithOrder();
    const second = await service.placeOrder(project.id, OWNER, 'Tools', 900, 'GBP');
    const other = await service.createProject(STRANGER, 'Shed');
    const theirs = await service.placeOrder(other.id, STRANGER, 'Planks', 4000, 'EUR');
    const empty = await service.createProject(STRANGER, 'Nothing yet');
    const many = jest.spyOn(db.orders, 'listForProjects');
    const one = jest.spyOn(db.orders, 'listForProject');
    await expect(service.getOrdersByProjectId([other.id, randomUUID(), project.id, empty.id, other.id])).resolves.toEqual([theirs, second, order]);
    expect(many).toHaveBeenCalledTimes(1);
    expect(one).not.toHaveBeenCalled();
    await expect(service.getOrdersByProjectId([empty.id, randomUUID()])).resolves.toEqual([]);
    await expect(service.getOrdersByProjectId([])).resolves.toEqual([]);
  });

  it('takes up to 500 project ids in one call, and refuses more, or ids that are not ids, naming projectIds', async () => {
    const { service } = projectWorker();
    await expect(service.getOrdersByProjectId([...Array(500)].map(() => randomUUID()))).resolves.toEqual([]);
    for (const projectIds of [[...Array(501)].map(() => randomUUID()), [randomUUID(), 'p1'], 'all']) {
      const error = (await failure(service.getOrdersByProjectId(projectIds as never))) as exc.BadRequest;
      expect(error).toBeInstanceOf(exc.BadRequest);
      expect(error.details.map((d) => d.field.split('.')[0])).toEqual(['projectIds']);
    }
  });
});

describe('cancelling an order', () => {
  it('cancels one awaiting payment, records who did it, and announces it', async () => {
    const { service, store, events, project, order } = await projectWithOrder();
    const cancelled = await service.cancelOrder(order.id, OWNER);
    expect(cancelled).toMatchObject({ id: order.id, status: 'cancelled', version: 2 });
    expect(store.statusChanges.at(-1)).toEqual({ orderId: order.id, status: 'cancelled', actorId: OWNER, reason: null });
    expect(events('order_cancelled')).toEqual([{ order: cancelled, project: { id: project.id }, cancelled_by: { id: OWNER }, reason: null }]);
  });

  it('refuses to cancel an order that is cancelled or paid already, with InvalidOrderState', async () => {
    const { service, order, project } = await projectWithOrder();
    await service.cancelOrder(order.id, MEMBER);
    await expect(service.cancelOrder(order.id, MEMBER)).rejects.toBeInstanceOf(exc.InvalidOrderState);
    const paid = await service.placeOrder(project.id, MEMBER, 'Soil', 700, 'EUR');
    await service.markOrderPaid({ order: { id: paid.id }, payment_method: { id: 1 }, project: { id: project.id }, paid_by: { id: MEMBER } });
    await expect(service.cancelOrder(paid.id, MEMBER)).rejects.toThrow(/paid: it cannot become cancelled/);
  });

  it('answers a non-member with NotFound and leaves the order as it was', async () => {
    const { service, store, order } = await projectWithOrder();
    await expect(service.cancelOrder(order.id, STRANGER)).rejects.toBeInstanceOf(exc.NotFound);
    expect(store.orders.get(order.id)?.status).toBe('awaiting_payment');
  });

  it('says so when the order changed meanwhile', async () => {
    const { service, db, order } = await projectWithOrder();
    db.orders.changeStatus = async () => {
      throw new ConcurrencyConflict('moved on');
    };
    await expect(service.cancelOrder(order.id, MEMBER)).rejects.toBeInstanceOf(exc.ConcurrentChange);
  });
});
