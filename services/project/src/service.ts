// The project service: entrypoints only. Each declares its arguments once (checked before it
// runs), makes sure the requester may see what they ask for, works through the collections,
// translates their expected exceptions into this service's own, and dumps its reply (and its
// events) through a schema.
import { ALLOW } from './access';
import { randomUUID } from 'node:crypto';
import { OutboxDispatcher } from '@platform/db';
import { Sagas } from '@platform/saga';
import { dump, entrypointOptions, validate } from '@platform/schemas';
import { eventHandler, inject, rpc, service, WorkerLogger } from '@platform/shimeji';
import { cancelPaidOrder, ORDER_CANCELLED } from './cancel-paid-order';
import { projectDatabase, type OrderRow, type ProjectRow, type StatusRecord } from './dependencies/db';
import * as exc from './exceptions';
import * as schemas from './schemas';
import { canMoveOrder, hasBeen, type MemberRole, type OrderStatus } from './states';

export const PROJECT_CREATED = 'project_created';
export const MEMBER_ADDED = 'member_added';
export const ORDER_PLACED = 'order_placed';
export { ORDER_CANCELLED };
export const ORDER_PAID = 'order_paid';

export const PAYMENT_SERVICE = 'payment';
export const PAYMENT_TAKEN = 'payment_taken';
export const PAYMENT_REFUNDED = 'payment_refunded';

/** A payment event may meet a concurrent change of its order: read it again, this many times in all. */
const EVENT_ATTEMPTS = 3;

const expected = [exc.BadRequest, exc.NotFound, exc.InvalidOrderState, exc.ConcurrentChange];
const takes = entrypointOptions(exc.BadRequest, expected);

@service('project')
export class ProjectService {
  db = inject(projectDatabase());
  dispatch = inject(new OutboxDispatcher(this.db));
  sagas = inject(new Sagas(this.db, [cancelPaidOrder], { outbox: this.dispatch }));
  log = inject(new WorkerLogger());

  @rpc({ ...takes(schemas.CreateProject), idempotent: true, allow: ALLOW.createProject })
  async createProject(ownerId: string, name: string, description: string | undefined = undefined) {
    const row = await this.db.projects.add({ id: randomUUID(), name, description: description ?? null, owner_id: ownerId });
    this.dispatch(PROJECT_CREATED, dump(schemas.ProjectCreated, { project: row }));
    return dump(schemas.ProjectWithMembers, { ...row, members: await this.db.projects.members(row.id) });
  }

  /** Members only: anyone else gets NotFound, as for a project that does not exist. */
  @rpc({ ...takes(schemas.GetProject), allow: ALLOW.getProject })
  async getProject(projectId: string, requesterId: string) {
    const project = await this.projectFor(requesterId, projectId);
    return dump(schemas.ProjectWithMembers, { ...project, members: await this.db.projects.members(project.id) });
  }

  @rpc({ ...takes(schemas.ListProjectsForUser), allow: ALLOW.listProjectsForUser })
  async listProjectsForUser(userId: string) {
    return dump(schemas.Projects, await this.db.projects.listForMember(userId));
  }

  /** Every project, a page at a time, with member counts: for facades with admin or support roles only. */
  @rpc({ ...takes(schemas.ListProjects), allow: ALLOW.listProjects })
  async listProjects(page = 1, pageSize = 20) {
    const { rows, total } = await this.db.projects.find(page, pageSize);
    return dump(schemas.ProjectPage, { items: rows, total, page, page_size: pageSize });
  }

  /** Any member (the owner too) may add; adding a member again returns the membership as it is, announcing nothing. */
  @rpc({ ...takes(schemas.AddMember), idempotent: true, allow: ALLOW.addMember })
  async addMember(projectId: string, userId: string, addedBy: string) {
    const project = await this.projectFor(addedBy, projectId);
    const existing = await this.db.projects.findMember(project.id, userId);
    if (existing) return dump(schemas.Member, existing);
    const member = await this.db.projects.addMember(project, { user_id: userId, added_by: addedBy }).catch((error: unknown) => {
      // Someone changed the project, or added the same user, since it was read: a retry sees it.
      if (error instanceof this.db.ConcurrencyConflict || error instanceof this.db.AlreadyExists) {
        throw new exc.ConcurrentChange(`project ${project.id} changed meanwhile; try again`);
      }
      throw error;
    });
    this.dispatch(MEMBER_ADDED, dump(schemas.MemberAdded, { project, member: { id: userId }, added_by: { id: addedBy } }));
    return dump(schemas.Member, member);
  }

  @rpc({ ...takes(schemas.PlaceOrder), idempotent: true, allow: ALLOW.placeOrder })
  async placeOrder(projectId: string, requesterId: string, description: string, amount: number, currency: string) {
    const project = await this.projectFor(requesterId, projectId);
    const row = await this.db.orders.add({
      id: randomUUID(),
      project_id: project.id,
      description,
      amount,
      currency,
      placed_by: requesterId,
    });
    const order = dump(schemas.Order, row);
    this.dispatch(ORDER_PLACED, dump(schemas.OrderPlaced, { order, project, placed_by: { id: requesterId } }));
    return order;
  }

  @rpc({ ...takes(schemas.GetOrder), allow: ALLOW.getOrder })
  async getOrder(orderId: string, requesterId: string) {
    return dump(schemas.Order, await this.orderFor(requesterId, orderId));
  }

  @rpc({ ...takes(schemas.ListOrders), allow: ALLOW.listOrders })
  async listOrders(projectId: string, requesterId: string) {
    const project = await this.projectFor(requesterId, projectId);
    return dump(schemas.Orders, await this.db.orders.listForProject(project.id));
  }

  /** A member cancels an order of their project that awaits payment; payment then closes its transaction. */
  @rpc({ ...takes(schemas.CancelOrder), idempotent: true, allow: ALLOW.cancelOrder })
  async cancelOrder(orderId: string, requesterId: string) {
    return this.cancel(await this.orderFor(requesterId, orderId), requesterId, null);
  }

  /**
   * An admin cancels any order, saying why. One awaiting payment is cancelled at once; a paid one
   * becomes `cancelling` and a saga refunds it, then cancels it (cancel-paid-order.ts): the reply
   * is the order `cancelling`, and `order_cancelled` follows the refund.
   */
  @rpc({ ...takes(schemas.CancelAnyOrder), idempotent: true, allow: ALLOW.cancelAnyOrder })
  async cancelAnyOrder(orderId: string, reason: string, actorId: string) {
    const current = await this.found(() => this.db.orders.getById(orderId), `no order ${orderId}`);
    if (current.status !== 'paid') return this.cancel(current, actorId, reason);
    const held = await this.moveOrder(current, 'cancelling', { actorId, reason });
    await this.sagas.start(cancelPaidOrder, { orderId, reason, actorId });
    return dump(schemas.Order, held);
  }

  /** A batch, with no requester check: for facades with admin or support roles. Unknown ids are left out. */
  @rpc({ ...takes(schemas.GetOrdersById), allow: ALLOW.getOrdersById })
  async getOrdersById(orderIds: string[]) {
    return dump(schemas.Orders, await this.db.orders.getManyById(orderIds));
  }

  /** No member check: only facades with admin or support roles may call it. */
  @rpc({ ...takes(schemas.ListOrdersForProject), allow: ALLOW.listOrdersForProject })
  async listOrdersForProject(projectId: string) {
    const project = await this.found(() => this.db.projects.getById(projectId), `no project ${projectId}`);
    return dump(schemas.Orders, await this.db.orders.listForProject(project.id));
  }

  /**
   * The orders of many projects in one call, newest first, for facades that would otherwise call
   * listOrdersForProject once per project. No member check, as there: only facades with admin or
   * support roles may call it. A project that does not exist has no orders, like one that has none.
   */
  @rpc({ ...takes(schemas.GetOrdersByProjectId), allow: ALLOW.getOrdersByProjectId })
  async getOrdersByProjectId(projectIds: string[]) {
    return dump(schemas.Orders, await this.db.orders.listForProjects(projectIds));
  }

  /**
   * Payment took the money: the order is paid, once. An order paid already stays as it is (a
   * second payment is payment's to refund), and so does a cancelled one: payment heard of the
   * cancellation too and gives that money back. A payload that does not fit or an unknown order is
   * a fault someone must look at: raising dead-letters the event with the reason.
   */
  @eventHandler(PAYMENT_SERVICE, PAYMENT_TAKEN)
  async markOrderPaid(payload: unknown): Promise<void> {
    const event = validate(schemas.PaymentTaken, payload, exc.BadRequest);
    await this.withRetries(async () => {
      const current = await this.found(() => this.db.orders.getById(event.order.id), `no order ${event.order.id}`);
      checkPaymentFits(current, event);
      if (current.status === 'cancelled') {
        this.log.warn({ orderId: current.id, paymentMethod: event.payment_method.id }, 'payment taken for a cancelled order: payment refunds it');
        return;
      }
      if (hasBeen(current.status, 'paid')) {
        const about = { orderId: current.id, status: current.status, paymentMethod: event.payment_method.id };
        this.log.warn(about, 'payment taken for an order paid already');
        return;
      }
      const order = dump(schemas.Order, await this.moveOrder(current, 'paid', { actorId: event.paid_by.id, reason: null }));
      this.dispatch(ORDER_PAID, dump(schemas.OrderPaid, { order, project: { id: order.project_id }, paid_by: event.paid_by }));
    });
  }

  /**
   * Payment gave the money back: a paid order is refunded, once. A cancelled order stays
   * cancelled (the refund is payment closing it); refunding an order awaiting payment is a fault.
   */
  @eventHandler(PAYMENT_SERVICE, PAYMENT_REFUNDED)
  async markOrderRefunded(payload: unknown): Promise<void> {
    const event = validate(schemas.PaymentRefunded, payload, exc.BadRequest);
    await this.withRetries(async () => {
      const current = await this.found(() => this.db.orders.getById(event.order.id), `no order ${event.order.id}`);
      // A cancelling or cancelled order's refund is its cancellation's doing: it stays as it is.
      if (hasBeen(current.status, 'refunded') || current.status === 'cancelling' || current.status === 'cancelled') return;
      await this.moveOrder(current, 'refunded', { actorId: event.actor?.id ?? null, reason: event.reason });
    });
  }

  private async cancel(current: OrderRow, actorId: string, reason: string | null) {
    const order = dump(schemas.Order, await this.moveOrder(current, 'cancelled', { actorId, reason }));
    const cancelled = { order, project: { id: order.project_id }, cancelled_by: { id: actorId }, reason };
    this.dispatch(ORDER_CANCELLED, dump(schemas.OrderCancelled, cancelled));
    return order;
  }

  /** The project, if the user is a member; NotFound alike for no such project and for someone else's. */
  private async projectFor(userId: string, projectId: string): Promise<ProjectRow & { role: MemberRole }> {
    return this.found(() => this.db.projects.getForMember(projectId, userId), `no project ${projectId}`);
  }

  /** The order, if the user is a member of its project; NotFound alike otherwise. */
  private async orderFor(userId: string, orderId: string): Promise<OrderRow> {
    const order = await this.found(() => this.db.orders.getById(orderId), `no order ${orderId}`);
    if (!(await this.db.projects.findMember(order.project_id, userId))) throw new exc.NotFound(`no order ${orderId}`);
    return order;
  }

  private async moveOrder(order: OrderRow, to: OrderStatus, record: StatusRecord): Promise<OrderRow> {
    if (!canMoveOrder(order.status, to)) throw new exc.InvalidOrderState(`order ${order.id} is ${order.status}: it cannot become ${to}`);
    try {
      return await this.db.orders.changeStatus(order, to, record);
    } catch (error) {
      if (error instanceof this.db.ConcurrencyConflict) throw new exc.ConcurrentChange(`order ${order.id} changed meanwhile; try again`);
      throw error;
    }
  }

  private async found<T>(load: () => Promise<T>, message: string): Promise<T> {
    try {
      return await load();
    } catch (error) {
      if (error instanceof this.db.NotFound) throw new exc.NotFound(message);
      throw error;
    }
  }

  /** An event has no caller to retry on ConcurrentChange: it reads the order again itself. */
  private async withRetries(work: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof exc.ConcurrentChange) || attempt >= EVENT_ATTEMPTS) throw error;
      }
    }
  }
}

/** Payment's event must be about this order's project and, when it says, for this order's amount. */
function checkPaymentFits(order: OrderRow, event: schemas.PaymentTaken): void {
  const problems = [];
  if (event.project.id !== order.project_id) problems.push({ field: 'project.id', message: `order ${order.id} belongs to another project` });
  if (event.amount !== undefined && event.amount !== order.amount) {
    problems.push({ field: 'amount', message: `${event.amount} is not the order's amount, ${order.amount}` });
  }
  if (problems.length > 0) throw new exc.BadRequest(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
}
