// The contract with the admins' application: what it sends (unknown fields rejected) and
// what it gets back (only the fields named here). What it sends is held to the services' own
// limits (ids are UUIDs, a password at most 128 characters, …), so the facade refuses first,
// naming its own field, and never asks a service about input the service would refuse.
import { type RequestRpc, type Services, servicesFor } from '@platform/http';
import { chargeFields, orderFields, userFields, EXAMPLE, TRANSACTION_STATES, timestampField, USER_ROLES, USER_STATUSES } from '@platform/schemas';
import { z } from 'zod';

// Every field says what it is and, where that helps, gives an example: the OpenAPI document at
// /docs is built from these schemas, and its test (openapi-document.test.ts) asks for both.
const id = z.uuid('must be a UUID');
const reason = (why: string, example: string) => z.string().trim().min(1).max(500).meta({ description: why, examples: [example] });
const page = z.coerce.number().int().min(1).max(100_000).default(1).meta({ description: 'Which page to read, from 1', examples: [1] });
const page_size = z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'How many items a page holds, at most 100', examples: [20] });
const userId = id.meta({ description: 'The user’s id', examples: [EXAMPLE.userId] });
const projectId = id.meta({ description: 'The project’s id', examples: [EXAMPLE.projectId] });
const orderId = id.meta({ description: 'The order’s id, of an order of that project', examples: [EXAMPLE.orderId] });

export const UserParams = z.strictObject({ userId });
export const ProjectParams = z.strictObject({ projectId });
export const OrderParams = z.strictObject({ projectId, orderId });

export const FindUsers = z.strictObject({
  q: z.string().trim().max(254).optional().meta({ description: 'Part of the email or name to look for, in any case; none lists everyone', examples: ['ann'] }),
  page,
  page_size,
});
export const Paging = z.strictObject({ page, page_size });
export const StatusChange = z.strictObject({ reason: reason('Why, kept on the user’s record', 'Repeated chargebacks') });
export const RoleChange = z.strictObject({ role: z.enum(USER_ROLES).describe('The role the user has from now on') });
export const PaymentConfirmation = z.strictObject({
  payment_method_id: z
    .string()
    .regex(/^pm_[A-Za-z0-9_]{1,100}$/, 'must be a payment method id (pm_…)')
    .meta({ description: 'The payer’s saved payment method to charge', examples: [EXAMPLE.paymentMethodId] }),
  paid_by: id.meta({ description: 'The user id of the customer whose card is charged, a member of the order’s project', examples: [EXAMPLE.userId] }),
});
export const Refund = z.strictObject({ reason: reason('Why the money goes back, kept on record and told the customer in the refund email', 'Tiles arrived broken') });
export const Cancellation = z.strictObject({ reason: reason('Why the order is cancelled, kept on record', 'Ordered twice by mistake') });

const pageOf = <T extends z.ZodType>(item: T, what: string) =>
  z
    .object({
      items: z.array(item).describe(`The ${what} on this page`),
      total: z.number().meta({ description: `How many ${what} there are in all`, examples: [42] }),
      page: z.number().meta({ description: 'This page’s number, from 1', examples: [1] }),
      page_size: z.number().meta({ description: 'How many items a page holds', examples: [20] }),
    })
    .describe(`A page of ${what}`);

export const User = z
  .object({
    ...userFields,
    role: z.enum(USER_ROLES).describe('Which application the user logs in to: `customer` the customers’, `support` and `admin` the staff’s'),
    status: z.enum(USER_STATUSES).describe('`active`, or `suspended`: a suspended user can neither log in nor use a token given before'),
    created_at: timestampField('When the account was registered'),
  })
  .describe('A user of the platform');
export const UserPage = pageOf(User, 'users');
export const ProjectSummary = z
  .object({
    id: z.string().meta({ description: 'The project’s id', examples: [EXAMPLE.projectId] }),
    name: z.string().meta({ description: 'What the project is called', examples: ['Kitchen'] }),
    description: z.string().nullable().optional().meta({ description: 'What the project is about, if its creator said', examples: ['New tiles and a sink'] }),
    owner_id: z.string().meta({ description: 'The user id of the customer who created it', examples: [EXAMPLE.userId] }),
    member_count: z.number().meta({ description: 'How many members it has, its owner included', examples: [2] }),
    created_at: timestampField('When the project was created'),
  })
  .describe('A project');
export const ProjectPage = pageOf(ProjectSummary, 'projects');
export const Order = z
  .object({
    ...orderFields,
    placed_by: z.string().meta({ description: 'The user id of the member who placed it', examples: [EXAMPLE.userId] }),
    updated_at: timestampField('When its status last changed'),
  })
  .describe('An order');
export const Transaction = z
  .object({
    id: z.string().meta({ description: 'The transaction’s id', examples: ['8d9e0f1a-2b3c-4d5e-8f6a-7b8c9d0e1f2a'] }),
    order_id: z.string().meta({ description: 'The id of the order paid for (one transaction an order)', examples: [EXAMPLE.orderId] }),
    project_id: z.string().meta({ description: 'The id of the order’s project', examples: [EXAMPLE.projectId] }),
    ...chargeFields,
    state: z
      .enum(TRANSACTION_STATES)
      .describe(
        '`awaiting_payment` until an attempt; `processing` while Stripe decides or the payer authenticates (3-D Secure); `paid`; ' +
          '`failed` (payable again); `refunded`; `cancelled` with its order',
      ),
    attempt: z.number().meta({ description: 'How many attempts to pay there have been', examples: [1] }),
    payment_intent_id: z.string().nullable().meta({ description: 'Stripe’s payment intent of the last attempt, if any', examples: [EXAMPLE.paymentIntentId] }),
    payment_method_id: z.string().nullable().meta({ description: 'The payment method of the last attempt, if any', examples: [EXAMPLE.paymentMethodId] }),
    paid_by: z.string().nullable().meta({ description: 'The user id of whose card was charged, if any', examples: [EXAMPLE.userId] }),
    failure_reason: z.string().nullable().meta({ description: 'Why the last attempt failed, if it did', examples: ['Your card was declined.'] }),
    created_at: timestampField('When the transaction was opened'),
    updated_at: timestampField('When its state last changed'),
  })
  .describe('An order’s payment');

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
