// The contract with the admins' application: what it sends (unknown fields rejected) and
// what it gets back (only the fields named here). What it sends is held to the services' own
// limits (ids are UUIDs, a password at most 128 characters, …), so the facade refuses first,
// naming its own field, and never asks a service about input the service would refuse.
import { type RequestRpc, type Services, servicesFor } from '@platform/http';
import { z } from 'zod';

const id = z.uuid('must be a UUID');
const reason = z.string().trim().min(1).max(500);
const page = z.coerce.number().int().min(1).max(100_000).default(1);
const page_size = z.coerce.number().int().min(1).max(100).default(20);

export const ROLES = ['customer', 'admin', 'support'] as const;

export const UserParams = z.strictObject({ userId: id });
export const ProjectParams = z.strictObject({ projectId: id });
export const OrderParams = z.strictObject({ projectId: id, orderId: id });

export const FindUsers = z.strictObject({ q: z.string().trim().max(254).optional(), page, page_size });
export const Paging = z.strictObject({ page, page_size });
export const StatusChange = z.strictObject({ reason });
export const RoleChange = z.strictObject({ role: z.enum(ROLES) });
export const PaymentConfirmation = z.strictObject({
  payment_method_id: z.string().regex(/^pm_[A-Za-z0-9_]{1,100}$/, 'must be a payment method id (pm_…)'),
  paid_by: id,
});
export const Refund = z.strictObject({ reason });
export const Cancellation = z.strictObject({ reason });

export const User = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.string(),
  status: z.string(),
  created_at: z.string(),
});
export const UserPage = z.object({ items: z.array(User), total: z.number(), page: z.number(), page_size: z.number() });
export const ProjectSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable().optional(),
  owner_id: z.string(),
  member_count: z.number(),
  created_at: z.string(),
});
export const ProjectPage = z.object({ items: z.array(ProjectSummary), total: z.number(), page: z.number(), page_size: z.number() });
export const Order = z.object({
  id: z.string(),
  project_id: z.string(),
  description: z.string(),
  amount: z.number(),
  currency: z.string(),
  status: z.string(),
  placed_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export const Transaction = z.object({
  id: z.string(),
  order_id: z.string(),
  project_id: z.string(),
  amount: z.number(),
  currency: z.string(),
  state: z.string(),
  attempt: z.number(),
  payment_intent_id: z.string().nullable(),
  payment_method_id: z.string().nullable(),
  paid_by: z.string().nullable(),
  failure_reason: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

type Of<T extends z.ZodType> = z.infer<T>;

/**
 * The parts of the services this facade consumes, as it reads them (tolerant reader): each reply
 * is typed by the schema it leaves this facade by, the service may send more than that.
 */
export interface Consumed {
  user: {
    findUsers(query: string | undefined, page: number, pageSize: number): Of<typeof UserPage>;
    suspendUser(userId: string, reason: string, actorId: string): Of<typeof User>;
    reactivateUser(userId: string, reason: string, actorId: string): Of<typeof User>;
    changeRole(userId: string, role: string, actorId: string): Of<typeof User>;
  };
  project: {
    listProjects(page: number, pageSize: number): Of<typeof ProjectPage>;
    getOrdersById(orderIds: string[]): Of<typeof Order>[];
    listOrdersForProject(projectId: string): Of<typeof Order>[];
    cancelAnyOrder(orderId: string, reason: string, actorId: string): Of<typeof Order>;
  };
  payment: {
    payOrder(orderId: string, paymentMethodId: string, paidBy: string): Of<typeof Transaction>;
    refundPayment(orderId: string, reason: string, actorId: string): Of<typeof Transaction>;
  };
}

export const services = (rpc: RequestRpc): Services<Consumed> => servicesFor<Consumed>(rpc);
