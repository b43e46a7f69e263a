// The contract with the customers' application: what it sends (unknown fields rejected) and
// what it gets back (only the fields named here). What it sends is held to the services' own
// limits (ids are UUIDs, a name at most 100 characters, …), so the facade refuses first, naming
// its own field, and never asks a service about input the service would refuse.
import { type RequestRpc, type Services, servicesFor } from '@platform/http';
import { chargeFields, orderFields, projectFields, userFields, chargedAmount, chargedCurrency, EXAMPLE, refineCharge, timestampField, TRANSACTION_STATES, USER_ROLES } from '@platform/schemas';
import { z } from 'zod';

// Every field says what it is and, where that helps, gives an example: the OpenAPI document at
// /docs is built from these schemas, and its test (openapi-document.test.ts) asks for both.
const id = z.uuid('must be a UUID');
const email = z.email().max(254);
const projectId = id.meta({ description: 'The project’s id', examples: [EXAMPLE.projectId] });
const orderId = id.meta({ description: 'The order’s id, of an order of that project', examples: [EXAMPLE.orderId] });

export const ProjectParams = z.strictObject({ projectId });
export const OrderParams = z.strictObject({ projectId, orderId });

export const Register = z.strictObject({
  email: email.meta({ description: 'The email to log in with and to receive receipts at; one account per email', examples: [EXAMPLE.email] }),
  name: z.string().trim().min(1).max(100).meta({ description: 'How the platform addresses the customer', examples: ['Ann Example'] }),
  password: z.string().min(8).max(128).meta({ description: 'At least 8 characters; kept only as a hash', examples: ['correct horse battery staple'] }),
});
export const NewProject = z.strictObject({
  name: z.string().trim().min(1).max(200).meta({ description: 'What the project is called', examples: ['Kitchen'] }),
  description: z.string().trim().max(2000).optional().meta({ description: 'What the project is about, for its members', examples: ['New tiles and a sink'] }),
});
export const NewMember = z.strictObject({
  email: email.meta({ description: 'The email of a registered customer to bring into the project', examples: ['bob@example.com'] }),
});
/** Only what Stripe can charge, as the project service takes it: an order placed can be paid. */
export const NewOrder = z
  .strictObject({
    description: z.string().trim().min(1).max(500).meta({ description: 'What is ordered, as the receipt names it', examples: ['Tiles'] }),
    amount: chargedAmount.meta({
      description: 'The price in the currency’s minor units (cents; yen for JPY), at least the least Stripe charges in it',
      examples: [EXAMPLE.amount],
    }),
    currency: chargedCurrency.meta({ description: 'A currency the platform charges in, as an ISO 4217 code in upper case', examples: [EXAMPLE.currency] }),
  })
  .superRefine(refineCharge);
const paymentMethodToken = z.string().regex(/^pm_[A-Za-z0-9_]{1,100}$/, 'must be a payment method token (pm_…)');
export const NewPaymentMethod = z.strictObject({
  token: paymentMethodToken.meta({ description: 'The payment method Stripe.js created from the card the customer entered', examples: [EXAMPLE.paymentMethodId] }),
});
export const Payment = z.strictObject({
  payment_method_id: z
    .string()
    .regex(/^pm_[A-Za-z0-9_]{1,100}$/, 'must be a payment method id (pm_…)')
    .meta({ description: 'The saved payment method to charge, one of GET /payment-methods; another is 404', examples: [EXAMPLE.paymentMethodId] }),
});
/** The payment intent the customer authenticated (3-D Secure), as the pay route gave it. */
export const PaymentConfirmation = z.strictObject({
  payment_intent_id: z
    .string()
    .regex(/^pi_[A-Za-z0-9_]{1,100}$/, 'must be a payment intent id (pi_…)')
    .meta({ description: 'The `payment_intent_id` the pay route answered with, once the customer has authenticated it', examples: [EXAMPLE.paymentIntentId] }),
});

export const User = z
  .object({
    ...userFields,
    role: z.enum(USER_ROLES).describe('What the user is on the platform: only customers use this application'),
    created_at: timestampField('When the account was registered'),
  })
  .describe('A customer’s account');
export const Member = z
  .object({
    user_id: z.string().meta({ description: 'The member’s user id', examples: [EXAMPLE.userId] }),
    role: z.string().meta({ description: 'The member’s part in the project: `owner` (who created it) or `member`', examples: ['owner'] }),
    added_at: timestampField('When they joined the project'),
  })
  .describe('A member of a project');
export const Project = z
  .object({
    ...projectFields,
  })
  .describe('A project of the customer’s');
export const ProjectWithMembers = Project.extend({ members: z.array(Member).describe('Everyone in the project, its owner included') }).describe(
  'A project of the customer’s, with its members',
);
export const Order = z
  .object({
    ...orderFields,
    updated_at: timestampField('When its status last changed'),
  })
  .describe('An order of the project');
export const PaymentMethod = z
  .object({
    id: z.string().meta({ description: 'The payment method’s id, to pay an order with', examples: ['pm_1QxYzAbCdEfGhIjK'] }),
    brand: z.string().meta({ description: 'The card’s brand', examples: ['visa'] }),
    last4: z.string().meta({ description: 'The last four digits of the card number', examples: ['4242'] }),
    exp_month: z.number().meta({ description: 'The month the card expires (1–12)', examples: [12] }),
    exp_year: z.number().meta({ description: 'The year the card expires', examples: [2030] }),
  })
  .describe('A card the customer saved');
const NextAction = z
  .object({
    type: z.enum(['use_stripe_sdk', 'redirect_to_url']).describe('How to authenticate: in the page with Stripe.js, or by sending the customer to `redirect_to_url.url`'),
    redirect_to_url: z
      .object({
        url: z.string().describe('Where to send the customer to authenticate'),
        return_url: z.string().nullable().describe('Where the bank sends the customer back to, if anywhere'),
      })
      .optional()
      .describe('For `redirect_to_url`: where to send the customer'),
  })
  .describe('What the customer’s client does to authenticate, as Stripe’s `next_action`; null unless `requires_action`');
/** What a customer's client sees of a payment: the payment service's states, and awaiting authentication. */
export const PAYMENT_STATES = [...TRANSACTION_STATES, 'requires_action'] as const;
/**
 * An order's payment. `state: 'requires_action'` while it awaits 3-D Secure: the customer's
 * client authenticates with `client_secret` (Stripe.js's handleNextAction, following
 * `next_action`), then sends `payment_intent_id` to …/payment/confirm.
 */
export const Transaction = z
  .object({
    order_id: z.string().meta({ description: 'The id of the order paid for', examples: [EXAMPLE.orderId] }),
    ...chargeFields,
    state: z
      .enum(PAYMENT_STATES)
      .describe(
        '`paid` once charged; `requires_action` while the customer must authenticate (3-D Secure); `processing` while Stripe decides; ' +
          '`failed` if the card was declined (pay again, with another card); `awaiting_payment`, `refunded`, `cancelled`',
      ),
    payment_intent_id: z.string().nullable().meta({ description: 'Stripe’s payment intent, to send to …/payment/confirm once authenticated', examples: [EXAMPLE.paymentIntentId] }),
    failure_reason: z.string().nullable().meta({ description: 'Why the payment failed, in words for the customer; null unless `failed`', examples: ['Your card was declined.'] }),
    client_secret: z.string().nullable().describe('What Stripe.js authenticates the payment with; null unless `requires_action`'),
    next_action: NextAction.nullable(),
  })
  .describe('The order’s payment');
/** The payment service's transaction, as this facade reads it. */
type PaymentTransaction = Omit<Of<typeof Transaction>, 'client_secret' | 'next_action'> & Partial<Pick<Of<typeof Transaction>, 'client_secret' | 'next_action'>>;

type Of<T extends z.ZodType> = z.infer<T>;

/**
 * The parts of the services this facade consumes, as it reads them (tolerant reader): each reply
 * is typed by the schema it leaves this facade by, the service may send more than that.
 */
export interface Consumed {
  user: {
    registerUser(email: string, name: string, password: string): Of<typeof User>;
    getUser(userId: string): Of<typeof User>;
    findUsers(query: string, page: number, pageSize: number): { items: Of<typeof User>[]; total: number };
  };
  project: {
    createProject(ownerId: string, name: string, description?: string): Of<typeof ProjectWithMembers>;
    getProject(projectId: string, requesterId: string): Of<typeof ProjectWithMembers>;
    listProjectsForUser(userId: string): Of<typeof Project>[];
    addMember(projectId: string, userId: string, addedBy: string): Of<typeof Member>;
    placeOrder(projectId: string, requesterId: string, description: string, amount: number, currency: string): Of<typeof Order>;
    getOrder(orderId: string, requesterId: string): Of<typeof Order>;
    listOrders(projectId: string, requesterId: string): Of<typeof Order>[];
    cancelOrder(orderId: string, requesterId: string): Of<typeof Order>;
  };
  payment: {
    listPaymentMethods(userId: string): Of<typeof PaymentMethod>[];
    addPaymentMethod(userId: string, token: string): Of<typeof PaymentMethod>;
    payOrder(orderId: string, paymentMethodId: string, paidBy: string): PaymentTransaction;
    confirmPaymentIntent(paymentIntentId: string, paidBy: string): PaymentTransaction;
    abandonPayment(orderId: string, paidBy: string): PaymentTransaction;
  };
}

/**
 * A transaction as a customer's client reads it: awaiting authentication is `requires_action`
 * with what the client authenticates with; otherwise the payment service's state, with none.
 */
export function paymentOf(t: PaymentTransaction): Of<typeof Transaction> {
  const authenticating = t.state === 'processing' && Boolean(t.client_secret);
  return {
    order_id: t.order_id,
    amount: t.amount,
    currency: t.currency,
    state: authenticating ? 'requires_action' : t.state,
    payment_intent_id: t.payment_intent_id,
    failure_reason: t.failure_reason,
    client_secret: authenticating ? t.client_secret! : null,
    next_action: authenticating ? (t.next_action ?? null) : null,
  };
}

export const services = (rpc: RequestRpc): Services<Consumed> => servicesFor<Consumed>(rpc);
