// Cancelling a paid order, as a saga (libs/saga): the order is held `cancelling` (by the call that
// started the saga, in the same transaction), its money is refunded by payment under the saga's
// idempotency key, and only then is it `cancelled` and announced. A refund that cannot be made
// (after the saga's retries) puts the order back to `paid`: never cancelled with its money kept,
// never refunded twice.
import { saga } from '@platform/saga';
import { dump } from '@platform/schemas';
import type { Dispatch } from '@platform/shimeji';
import type { OrderRow, StatusRecord } from './dependencies/db';
import * as schemas from './schemas';
import type { OrderStatus } from './states';

export interface CancelPaidOrder extends Record<string, unknown> {
  orderId: string;
  reason: string;
  actorId: string;
}

export const ORDER_CANCELLED = 'order_cancelled';

/** What the saga's local steps reach: the service's orders on the step's transaction. */
interface Orders {
  orders: {
    getById(id: string): Promise<OrderRow>;
    changeStatus(order: OrderRow, status: OrderStatus, record: StatusRecord): Promise<OrderRow>;
  };
}

/** Moves the order from `from` to `to`; an order already at `to` (the step done before a crash) stays. */
async function move(db: Orders, orderId: string, from: OrderStatus, to: OrderStatus, record: StatusRecord): Promise<OrderRow | undefined> {
  const order = await db.orders.getById(orderId);
  if (order.status === to) return undefined;
  if (order.status !== from) throw new Error(`order ${orderId} is ${order.status}, not ${from}: the cancellation cannot go on`);
  return db.orders.changeStatus(order, to, record);
}

export const cancelPaidOrder = saga<CancelPaidOrder>('cancel_paid_order')
  .localStep('hold_order')
  // Held already: the call that started the saga moved the order to `cancelling`.
  .onExecute(() => undefined)
  .compensate(async ({ db, context }) => {
    await move(db as Orders, context.orderId, 'cancelling', 'paid', { actorId: context.actorId, reason: `cancellation undone: the refund could not be made (${context.reason})` });
  })
  .remoteStep('refund')
  .onExecute('payment', 'refundPayment', (c) => [c.orderId, c.reason, c.actorId])
  .localStep('mark_cancelled')
  .onExecute(async ({ db, dispatch, context }) => {
    const cancelled = await move(db as Orders, context.orderId, 'cancelling', 'cancelled', { actorId: context.actorId, reason: context.reason });
    if (!cancelled) return;
    const order = dump(schemas.Order, cancelled);
    (dispatch as Dispatch)(ORDER_CANCELLED, dump(schemas.OrderCancelled, { order, project: { id: order.project_id }, cancelled_by: { id: context.actorId }, reason: context.reason }));
  })
  .commit();
