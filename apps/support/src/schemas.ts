// The contract with the support staff's application: what it sends (unknown fields rejected) and
// what it gets back (only the fields named here). What it sends is held to the services' own
// limits (ids are UUIDs, a password at most 128 characters, …), so the facade refuses first,
// naming its own field, and never asks a service about input the service would refuse.
import { type RequestRpc, type Services, servicesFor } from '@platform/http';
import { z } from 'zod';

const id = z.uuid('must be a UUID');
const email = z.email().max(254);

export const CustomerQuery = z.strictObject({ email });
export const CustomerParams = z.strictObject({ userId: id });
export const OrderParams = z.strictObject({ orderId: id });
/** Resending a receipt takes no body (the order is in the path, who asks is the token's user): none, or `{}`, and no field. */
export const Resend = z.strictObject({}).nullish(); // fastify gives `null` for no body

export const User = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.string(),
  created_at: z.string(),
});
export const Customer = User.extend({ status: z.string() });

/** An order's payment as support sees it; null when payment has no transaction for the order yet. */
export const PaymentState = z
  .object({
    state: z.string(),
    amount: z.number(),
    currency: z.string(),
    attempt: z.number().optional(),
    failure_reason: z.string().nullable(),
    updated_at: z.string().optional(),
  })
  .nullable();
export const Order = z.object({
  id: z.string(),
  project_id: z.string(),
  description: z.string(),
  amount: z.number(),
  currency: z.string(),
  status: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  payment: PaymentState,
});
export const Project = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable().optional(),
  owner_id: z.string(),
  created_at: z.string(),
  orders: z.array(Order),
});
export const Overview = z.object({ customer: Customer, projects: z.array(Project) });

export const Message = z.object({
  id: z.string(),
  kind: z.string(),
  recipient_id: z.string().nullable().optional(),
  recipient_email: z.string(),
  subject: z.string(),
  order_id: z.string().nullable().optional(),
  project_id: z.string().nullable().optional(),
  status: z.string(),
  attempts: z.number().optional(),
  resent_of: z.string().nullable().optional(),
  requested_by: z.string().nullable().optional(),
  created_at: z.string(),
  sent_at: z.string().nullable().optional(),
});

type Of<T extends z.ZodType> = z.infer<T>;

/**
 * The parts of the services this facade consumes, as it reads them (tolerant reader): each reply
 * is typed by the schema it leaves this facade by, the service may send more than that.
 */
export interface Consumed {
  user: {
    getUser(userId: string): Of<typeof Customer>;
    findUsers(query: string, page: number, pageSize: number): { items: Of<typeof Customer>[]; total: number };
  };
  project: {
    listProjectsForUser(userId: string): Omit<Of<typeof Project>, 'orders'>[];
    /** Support and admin only: no requester check. The orders of all those projects, newest first (up to 500 ids). */
    getOrdersByProjectId(projectIds: string[]): Omit<Of<typeof Order>, 'payment'>[];
  };
  payment: {
    /** The transactions of those orders that have one (up to 500 ids): an order left out has no payment yet. */
    getTransactionsByOrderId(orderIds: string[]): (NonNullable<Of<typeof PaymentState>> & { order_id: string })[];
  };
  messaging: {
    listMessagesForUser(userId: string): Of<typeof Message>[];
    resendOrderReceipt(orderId: string, requestedBy: string): Of<typeof Message>;
  };
}

export const services = (rpc: RequestRpc): Services<Consumed> => servicesFor<Consumed>(rpc);
