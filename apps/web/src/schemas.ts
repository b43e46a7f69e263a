// The contract with the customers' application: what it sends (unknown fields rejected) and
// what it gets back (only the fields named here). What it sends is held to the services' own
// limits (ids are UUIDs, a name at most 100 characters, …), so the facade refuses first, naming
// its own field, and never asks a service about input the service would refuse.
import { type RequestRpc, type Services, servicesFor } from '@platform/http';
import { chargedAmount, chargedCurrency, refineCharge } from '@platform/schemas';
import { z } from 'zod';

const id = z.uuid('must be a UUID');
const email = z.email().max(254);

export const ProjectParams = z.strictObject({ projectId: id });
export const OrderParams = z.strictObject({ projectId: id, orderId: id });

export const Register = z.strictObject({
  email,
  name: z.string().trim().min(1).max(100),
  password: z.string().min(8).max(128),
});
export const NewProject = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).optional(),
});
export const NewMember = z.strictObject({ email });
/** Only what Stripe can charge, as the project service takes it: an order placed can be paid. */
export const NewOrder = z
  .strictObject({ description: z.string().trim().min(1).max(500), amount: chargedAmount, currency: chargedCurrency })
  .superRefine(refineCharge);
export const NewPaymentMethod = z.strictObject({ token: z.string().regex(/^pm_[A-Za-z0-9_]{1,100}$/, 'must be a payment method token (pm_…)') });
export const Payment = z.strictObject({
  payment_method_id: z.string().regex(/^pm_[A-Za-z0-9_]{1,100}$/, 'must be a payment method id (pm_…)'),
});
/** The payment intent the customer authenticated (3-D Secure), as the pay route gave it. */
export const PaymentConfirmation = z.strictObject({
  payment_intent_id: z.string().regex(/^pi_[A-Za-z0-9_]{1,100}$/, 'must be a payment intent id (pi_…)'),
});

export const User = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.string(),
  created_at: z.string(),
});
export const Member = z.object({ user_id: z.string(), role: z.string(), added_at: z.string() });
export const Project = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable().optional(),
  owner_id: z.string(),
  created_at: z.string(),
});
export const ProjectWithMembers = Project.extend({ members: z.array(Member) });
export const Order = z.object({
  id: z.string(),
  project_id: z.string(),
  description: z.string(),
  amount: z.number(),
  currency: z.string(),
  status: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export const PaymentMethod = z.object({
  id: z.string(),
  brand: z.string(),
  last4: z.string(),
  exp_month: z.number(),
  exp_year: z.number(),
});
const NextAction = z.object({
  type: z.enum(['use_stripe_sdk', 'redirect_to_url']),
  redirect_to_url: z.object({ url: z.string(), return_url: z.string().nullable() }).optional(),
});
/**
 * An order's payment. `state: 'requires_action'` while it awaits 3-D Secure: the customer's
 * client authenticates with `client_secret` (Stripe.js's handleNextAction, following
 * `next_action`), then sends `payment_intent_id` to …/payment/confirm.
 */
export const Transaction = z.object({
  order_id: z.string(),
  amount: z.number(),
  currency: z.string(),
  state: z.string(),
  payment_intent_id: z.string().nullable(),
  failure_reason: z.string().nullable(),
  client_secret: z.string().nullable(),
  next_action: NextAction.nullable(),
});
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
