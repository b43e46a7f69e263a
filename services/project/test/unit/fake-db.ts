// In-memory stand-ins for the project service's collections: the same methods and expected
// exceptions as dependencies/db.ts, no database. Tests look into `store` to see what was written.
import { AlreadyExists, ConcurrencyConflict, NotFound } from '@platform/db';
import type { MemberRow, OrderRow, ProjectRow, StatusRecord } from '../../src/dependencies/db';
import type { OrderStatus } from '../../src/states';

export class FakeStore {
  readonly projects = new Map<string, ProjectRow>();
  readonly members: MemberRow[] = [];
  readonly orders = new Map<string, OrderRow>();
  readonly statusChanges: ({ orderId: string; status: OrderStatus } & StatusRecord)[] = [];

  /** Everything stored, as plain data: equal before and after means nothing was written. */
  snapshot(): unknown {
    return structuredClone([[...this.projects.values()], this.members, [...this.orders.values()], this.statusChanges]);
  }
}

// Time moves on by a second per row, so "newest first" is well defined.
let clock = Date.parse('2026-01-01T00:00:00Z');
const now = () => new Date((clock += 1000));

class FakeProjects {
  constructor(private readonly store: FakeStore) {}

  async add(project: Pick<ProjectRow, 'id' | 'name' | 'description' | 'owner_id'>): Promise<ProjectRow> {
    const row = { ...project, version: 1, created_at: now() };
    this.store.projects.set(row.id, row);
    this.store.members.push({ project_id: row.id, user_id: row.owner_id, role: 'owner', added_by: row.owner_id, added_at: row.created_at });
    return { ...row };
  }

  async getById(id: string): Promise<ProjectRow> {
    const row = this.store.projects.get(id);
    if (!row) throw new NotFound(`no project ${id}`);
    return { ...row };
  }

  async getForMember(id: string, userId: string) {
    const member = await this.findMember(id, userId);
    if (!member) throw new NotFound(`no project ${id} with member ${userId}`);
    return { ...(await this.getById(id)), role: member.role };
  }

  async findMember(projectId: string, userId: string): Promise<MemberRow | undefined> {
    return this.store.members.find((m) => m.project_id === projectId && m.user_id === userId);
  }

  async members(projectId: string): Promise<MemberRow[]> {
    return this.store.members.filter((m) => m.project_id === projectId);
  }

  async addMember(project: ProjectRow, member: { user_id: string; added_by: string }): Promise<MemberRow> {
    const stored = await this.getById(project.id);
    if (stored.version !== project.version) throw new ConcurrencyConflict(`project ${project.id} moved on`);
    if (await this.findMember(project.id, member.user_id)) throw new AlreadyExists(`${member.user_id} is a member already`);
    this.store.projects.set(project.id, { ...stored, version: stored.version + 1 });
    const row: MemberRow = { project_id: project.id, ...member, role: 'member', added_at: now() };
    this.store.members.push(row);
    return row;
  }

  async listForMember(userId: string): Promise<ProjectRow[]> {
    const ids = new Set(this.store.members.filter((m) => m.user_id === userId).map((m) => m.project_id));
    return [...this.store.projects.values()].filter((p) => ids.has(p.id)).reverse();
  }

  async find(page: number, pageSize: number) {
    const all = [...this.store.projects.values()].reverse();
    const memberCount = (projectId: string) => this.store.members.filter((m) => m.project_id === projectId).length;
    const rows = all.slice((page - 1) * pageSize, page * pageSize).map((p) => ({ ...p, member_count: memberCount(p.id) }));
    return { rows, total: all.length };
  }
}

class FakeOrders {
  constructor(private readonly store: FakeStore) {}

  async add(order: Pick<OrderRow, 'id' | 'project_id' | 'description' | 'amount' | 'currency' | 'placed_by'>): Promise<OrderRow> {
    const at = now();
    const row: OrderRow = { ...order, status: 'awaiting_payment', version: 1, created_at: at, updated_at: at };
    this.store.orders.set(row.id, row);
    this.store.statusChanges.push({ orderId: row.id, status: row.status, actorId: order.placed_by, reason: null });
    return { ...row };
  }

  async getById(id: string): Promise<OrderRow> {
    const row = this.store.orders.get(id);
    if (!row) throw new NotFound(`no order ${id}`);
    return { ...row };
  }

  async getManyById(ids: readonly string[]): Promise<OrderRow[]> {
    return ids.flatMap((id) => this.store.orders.get(id) ?? []);
  }

  async listForProject(projectId: string): Promise<OrderRow[]> {
    return [...this.store.orders.values()].filter((o) => o.project_id === projectId).reverse();
  }

  async listForProjects(projectIds: readonly string[]): Promise<OrderRow[]> {
    const wanted = new Set(projectIds);
    return [...this.store.orders.values()].filter((o) => wanted.has(o.project_id)).reverse();
  }

  async changeStatus(order: OrderRow, status: OrderStatus, record: StatusRecord): Promise<OrderRow> {
    const stored = await this.getById(order.id);
    if (stored.version !== order.version) throw new ConcurrencyConflict(`order ${order.id} moved on`);
    const row = { ...stored, status, version: stored.version + 1, updated_at: now() };
    this.store.orders.set(row.id, row);
    this.store.statusChanges.push({ orderId: row.id, status, ...record });
    return { ...row };
  }
}

export function fakeDb(store = new FakeStore()) {
  return { projects: new FakeProjects(store), orders: new FakeOrders(store), NotFound, AlreadyExists, ConcurrencyConflict };
}
