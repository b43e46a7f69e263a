// Orders placed against a project, and the record of every status each one went through.
import { Collection, NotFound } from '@platform/db';
import type { OrderStatus } from '../states';

export interface OrderRow {
  id: string;
  project_id: string;
  description: string;
  amount: number;
  currency: string;
  status: OrderStatus;
  placed_by: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface StatusRecord {
  actorId: string | null;
  reason: string | null;
}

// PostgreSQL hands a bigint back as a string, so that no driver loses digits; ours fit a number.
const toOrder = (row: Record<string, unknown>): OrderRow => ({ ...row, amount: Number(row.amount) }) as OrderRow;

export class Orders extends Collection {
  async add(order: Pick<OrderRow, 'id' | 'project_id' | 'description' | 'amount' | 'currency' | 'placed_by'>): Promise<OrderRow> {
    const trx = await this.trx();
    const [row] = await trx('orders').insert({ ...order, status: 'awaiting_payment', version: 1 }).returning('*');
    await this.record(order.id, 'awaiting_payment', { actorId: order.placed_by, reason: null });
    return toOrder(row);
  }

  async getById(id: string): Promise<OrderRow> {
    const db = await this.reader();
    const row = await db('orders').where({ id }).first();
    if (!row) throw new NotFound(`no order ${id}`);
    return toOrder(row);
  }

  /** The orders among `ids` that exist, in the order asked for. */
  async getManyById(ids: readonly string[]): Promise<OrderRow[]> {
    if (ids.length === 0) return [];
    const db = await this.reader();
    const byId = new Map(((await db('orders').whereIn('id', [...ids])) as Record<string, unknown>[]).map((r) => [r.id, toOrder(r)]));
    return ids.map((id) => byId.get(id)).filter((r): r is OrderRow => r !== undefined);
  }

  /** Every order of the project, newest first. */
  async listForProject(projectId: string): Promise<OrderRow[]> {
    const db = await this.reader();
    const rows = await db('orders')
      .where({ project_id: projectId })
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }]);
    return rows.map(toOrder);
  }

  /** Every order of any of the projects, newest first: one query. */
  async listForProjects(projectIds: readonly string[]): Promise<OrderRow[]> {
    const wanted = [...new Set(projectIds)];
    if (wanted.length === 0) return [];
    const db = await this.reader();
    const rows = await db('orders')
      .whereIn('project_id', wanted)
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }]);
    return rows.map(toOrder);
  }

  /** Moves the order to `status` if it is still at the version read (ConcurrencyConflict otherwise), and records who and why. */
  async changeStatus(order: OrderRow, status: OrderStatus, record: StatusRecord): Promise<OrderRow> {
    await this.updateVersioned('orders', order.id, order.version, { status, updated_at: new Date() });
    await this.record(order.id, status, record);
    return this.getById(order.id);
  }

  private async record(orderId: string, status: OrderStatus, { actorId, reason }: StatusRecord): Promise<void> {
    const trx = await this.trx();
    await trx('order_status_changes').insert({ order_id: orderId, status, actor_id: actorId, reason });
  }
}
