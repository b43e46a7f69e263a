// The contract with the support staff's application: what it sends (unknown fields rejected) and
// what it gets back (only the fields named here). What it sends is held to the services' own
// limits (ids are UUIDs, a password at most 128 characters, …), so the facade refuses first,
// naming its own field, and never asks a service about input the service would refuse.
import { type RequestRpc, type Services, servicesFor } from '@platform/http';
import { chargeFields, orderFields, projectFields, userFields, EXAMPLE, TRANSACTION_STATES, timestampField, USER_ROLES, USER_STATUSES } from '@platform/schemas';
import { z } from 'zod';

// Every field says what it is and, where that helps, gives an example: the OpenAPI document at
// /docs is built from these schemas, and its test (openapi-document.test.ts) asks for both.
const id = z.uuid('must be a UUID');
const email = z.email().max(254);

export const CustomerQuery = z.strictObject({
  email: email.meta({ description: 'The customer’s email, exactly (in any case)', examples: [EXAMPLE.email] }),
});
export const CustomerParams = z.strictObject({ userId: id.meta({ description: 'The customer’s user id, as GET /customers gives it', examples: [EXAMPLE.userId] }) });
export const OrderParams = z.strictObject({ orderId: id.meta({ description: 'The order’s id', examples: [EXAMPLE.orderId] }) });
/** Resending a receipt takes no body (the order is in the path, who asks is the token's user): none, or `{}`, and no field. */
export const Resend = z.strictObject({}).nullish(); // fastify gives `null` for no body

export const User = z
  .object({
    ...userFields,
    role: z.enum(USER_ROLES).describe('Which application the user logs in to: `customer` the customers’, `support` and `admin` the staff’s'),
    created_at: timestampField('When the account was registered'),
  })
  .describe('A user of the platform');
export const Customer = User.extend({
  status: z.enum(USER_STATUSES).describe('`active`, or `suspended` by an admin: a suspended customer cannot log in'),
}).describe('A customer, as support finds them');

/** An order's payment as support sees it; null when payment has no transaction for the order yet. */
export const PaymentState = z
  .object({
    state: z
      .enum(TRANSACTION_STATES)
      .describe(
        '`awaiting_payment` until an attempt; `processing` while Stripe decides or the customer authenticates (3-D Secure); ' +
          '`paid`; `failed` (payable again); `refunded`; `cancelled` with its order',
      ),
    ...chargeFields,
    attempt: z.number().optional().meta({ description: 'How many attempts to pay there have been', examples: [1] }),
    failure_reason: z.string().nullable().meta({ description: 'Why the last attempt failed, as the customer was told; null unless it failed', examples: ['Your card was declined.'] }),
    updated_at: timestampField('When its state last changed').optional(),
  })
  .nullable()
  .describe('The order’s payment; null when nobody has tried to pay it yet');
export const Order = z
  .object({
    ...orderFields,
    updated_at: timestampField('When its status last changed'),
    payment: PaymentState,
  })
  .describe('An order of the project, with its payment');
export const Project = z
  .object({
    ...projectFields,
    orders: z.array(Order).describe('The project’s orders, newest first'),
  })
  .describe('A project the customer is a member of');
export const Overview = z
  .object({ customer: Customer, projects: z.array(Project).describe('Every project the customer is a member of, owned or joined') })
  .describe('A customer and everything they have ordered');

export const Message = z
  .object({
    id: z.string().meta({ description: 'The email’s id', examples: ['5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e'] }),
    kind: z.string().meta({ description: 'What the email is: `welcome`, `order_paid_confirmation` (the receipt), `refund_notice`, `invitation`', examples: ['order_paid_confirmation'] }),
    recipient_id: z.string().nullable().optional().meta({ description: 'The user id of whom it was sent to, if a user', examples: [EXAMPLE.userId] }),
    recipient_email: z.string().meta({ description: 'The address it was sent to', examples: [EXAMPLE.email] }),
    subject: z.string().meta({ description: 'Its subject line', examples: ['Your order Tiles'] }),
    order_id: z.string().nullable().optional().meta({ description: 'The order it is about, if any', examples: [EXAMPLE.orderId] }),
    project_id: z.string().nullable().optional().meta({ description: 'The project it is about, if any', examples: [EXAMPLE.projectId] }),
    status: z.string().meta({ description: '`sent` once the mail server took it; `sending` meanwhile; `failed` if it did not leave (it may be tried again)', examples: ['sent'] }),
    attempts: z.number().optional().meta({ description: 'How many times it was handed to the mail server', examples: [1] }),
    resent_of: z.string().nullable().optional().describe('The id of the email this one sends again, for a resent receipt'),
    requested_by: z.string().nullable().optional().describe('The user id of the staff member who asked for it to be resent, if one did'),
    created_at: timestampField('When it was recorded'),
    sent_at: z.string().nullable().optional().meta({ description: 'When the mail server took it (ISO 8601, UTC); null until then', examples: [EXAMPLE.timestamp] }),
  })
  .describe('An email the platform sent');

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
