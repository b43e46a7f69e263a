// The project service's contract with the rest of the platform: what each endpoint accepts and
// returns, what its events carry, and what it reads from payment's events. Replies and events
// are dumped through these, so only what is named here ever leaves the service.
import { chargedAmount, chargedCurrency, optional, refineCharge, z } from '@platform/schemas';
import { MEMBER_ROLES, ORDER_STATUSES } from './states';

const id = z.uuid();
const name = z.string().trim().min(1).max(200);
const description = z
  .string()
  .trim()
  .max(2000)
  .transform((text) => text || undefined);
const orderDescription = z.string().trim().min(1).max(500);
// Only what Stripe can charge, so that an order placed can be paid (libs/schemas money.ts).
const amount = chargedAmount;
const currency = chargedCurrency;
const timestamp = z.coerce.date().transform((at) => at.toISOString());

// Arguments, one schema per endpoint.
export const CreateProject = z.object({ ownerId: id, name, description: optional(description) }).strict();
export const GetProject = z.object({ projectId: id, requesterId: id }).strict();
export const ListProjectsForUser = z.object({ userId: id }).strict();
export const ListProjects = z
  .object({
    page: optional(z.number().int().min(1)).default(1),
    pageSize: optional(z.number().int().min(1).max(100)).default(20),
  })
  .strict();
export const AddMember = z.object({ projectId: id, userId: id, addedBy: id }).strict();
export const PlaceOrder = z.object({ projectId: id, requesterId: id, description: orderDescription, amount, currency }).strict().superRefine(refineCharge);
export const GetOrder = z.object({ orderId: id, requesterId: id }).strict();
export const CancelOrder = GetOrder;
/** An admin cancels any customer's unpaid order, saying why: the reason is kept and announced. */
export const CancelAnyOrder = z.object({ orderId: id, reason: z.string().trim().min(1).max(500), actorId: id }).strict();
export const ListOrders = z.object({ projectId: id, requesterId: id }).strict();
export const GetOrdersById = z.object({ orderIds: z.array(id).max(500) }).strict();
export const ListOrdersForProject = z.object({ projectId: id }).strict();
/** A facade's batch: the orders of a customer's projects in one call, as many projects as getOrdersById takes orders. */
export const GetOrdersByProjectId = z.object({ projectIds: z.array(id).max(500) }).strict();

// Replies.
export const Member = z.object({
  project_id: z.string(),
  user_id: z.string(),
  role: z.enum(MEMBER_ROLES),
  added_by: z.string(),
  added_at: timestamp,
});
export type Member = z.output<typeof Member>;

export const Project = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  owner_id: z.string(),
  version: z.number(),
  created_at: timestamp,
});
export type Project = z.output<typeof Project>;
export const Projects = z.array(Project);
export const ProjectWithMembers = Project.extend({ members: z.array(Member) });
export const ProjectPage = z.object({
  items: z.array(Project.extend({ member_count: z.number() })),
  total: z.number(),
  page: z.number(),
  page_size: z.number(),
});

export const Order = z.object({
  id: z.string(),
  project_id: z.string(),
  description: z.string(),
  amount: z.number(),
  currency: z.string(),
  status: z.enum(ORDER_STATUSES),
  placed_by: z.string(),
  version: z.number(),
  created_at: timestamp,
  updated_at: timestamp,
});
export type Order = z.output<typeof Order>;
export const Orders = z.array(Order);

// Events this service dispatches.
const ref = z.object({ id: z.string() });
export const ProjectCreated = z.object({ project: Project });
export const MemberAdded = z.object({ project: z.object({ id: z.string(), name: z.string() }), member: ref, added_by: ref });
export const OrderPlaced = z.object({
  order: Order.pick({ id: true, description: true, amount: true, currency: true, status: true }),
  project: z.object({ id: z.string(), name: z.string(), owner_id: z.string() }),
  placed_by: ref,
});
export const OrderCancelled = z.object({ order: Order, project: ref, cancelled_by: ref, reason: z.string().nullable() });
export const OrderPaid = z.object({ order: Order, project: ref, paid_by: ref });

// Payment's events, read tolerantly: fields we do not use may come and go.
const idOf = <S extends z.ZodType>(schema: S) => z.looseObject({ id: schema });
export const PaymentTaken = z.looseObject({
  order: idOf(id),
  payment_method: idOf(z.union([z.string().min(1).max(255), z.number().int()])),
  project: idOf(id),
  paid_by: idOf(id),
  amount: optional(amount),
});
export type PaymentTaken = z.output<typeof PaymentTaken>;
export const PaymentRefunded = z.looseObject({
  order: idOf(id),
  reason: z.string().trim().min(1).max(500),
  actor: optional(idOf(id)),
});
export type PaymentRefunded = z.output<typeof PaymentRefunded>;
