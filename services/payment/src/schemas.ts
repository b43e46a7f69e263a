// The payment service's contract with the rest of the platform: what each endpoint accepts and
// returns, what its events carry, and what it reads from the project service's order_placed.
// Replies and events are dumped through these, so only what is named here ever leaves.
import { optional, z } from '@platform/schemas';
import { TRANSACTION_STATES } from './states';

// ICU's list of ISO 4217 codes, all upper case, as the project service accepts them.
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

const id = z.uuid();
const stripeId = (prefix: string) =>
  z
    .string()
    .max(255)
    .regex(new RegExp(`^${prefix}_[A-Za-z0-9_]+$`), `must be a Stripe id starting with ${prefix}_`);
const amount = z.number().int().positive(); // minor units
const currency = z.string().refine((code) => CURRENCIES.has(code), 'must be an ISO 4217 currency code in upper case, e.g. EUR');
const timestamp = z.coerce.date().transform((at) => at.toISOString());

// Arguments, one schema per endpoint.
export const ListPaymentMethods = z.object({ userId: id }).strict();
/** `token`: a payment method made by Stripe.js, or one of Stripe's test ones (`pm_card_visa`). */
export const AddPaymentMethod = z.object({ userId: id, token: stripeId('pm') }).strict();
export const PayOrder = z.object({ orderId: id, paymentMethodId: stripeId('pm'), paidBy: id }).strict();
/** `paidBy`: the payer who authenticated; only the attempt's own payer confirms it. */
export const ConfirmPaymentIntent = z.object({ paymentIntentId: stripeId('pi'), paidBy: id }).strict();
export const AbandonPayment = z.object({ orderId: id, paidBy: id }).strict();
export const GetTransactionByOrder = z.object({ orderId: id }).strict();
export const GetTransactionsById = z.object({ transactionIds: z.array(id).max(500) }).strict();
/** A facade's batch: as many orders as one page of them shows, at most, in one call. */
export const GetTransactionsByOrderId = z.object({ orderIds: z.array(id).max(500) }).strict();
export const RefundPayment = z.object({ orderId: id, reason: z.string().trim().min(1).max(500), actorId: id }).strict();

// Replies.
export const PaymentMethod = z.object({
  id: z.string(),
  brand: z.string(),
  last4: z.string(),
  exp_month: z.number(),
  exp_year: z.number(),
});
export type PaymentMethod = z.output<typeof PaymentMethod>;
export const PaymentMethods = z.array(PaymentMethod);

export const Transaction = z.object({
  id: z.string(),
  order_id: z.string(),
  project_id: z.string(),
  description: z.string(),
  amount: z.number(),
  currency: z.string(),
  state: z.enum(TRANSACTION_STATES),
  /** How many attempts to pay were made; each has its own idempotency key at Stripe. */
  attempt: z.number(),
  /** Stripe's payment intent of the latest attempt: confirmPaymentIntent takes it while `processing`. */
  payment_intent_id: z.string().nullable(),
  payment_method_id: z.string().nullable(),
  paid_by: z.string().nullable(),
  /** Why the latest attempt failed: Stripe's decline code, or `authentication_abandoned` / `authentication_timed_out`. */
  failure_reason: z.string().nullable(),
  /** While the attempt awaits 3-D Secure: what the payer's client (Stripe.js) authenticates with. Null otherwise. */
  client_secret: z.string().nullable(),
  next_action: z
    .object({ type: z.enum(['use_stripe_sdk', 'redirect_to_url']), redirect_to_url: z.object({ url: z.string(), return_url: z.string().nullable() }).optional() })
    .nullable(),
  /** Since when it awaits authentication: after PAYMENT_AUTHENTICATION_TIMEOUT another attempt may replace it. */
  authentication_started_at: timestamp.nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});
export type Transaction = z.output<typeof Transaction>;
export const Transactions = z.array(Transaction);

// Events this service dispatches: a contract with project and messaging; change with them.
const ref = z.object({ id: z.string() });
const order = z.object({ id: z.string(), description: z.string(), amount: z.number(), currency: z.string() });
const project = z.object({ id: z.string(), name: z.string() });
export const PaymentTaken = z.object({
  transaction: ref,
  order,
  project,
  payment_method: ref,
  paid_by: ref,
  amount: z.number(),
  currency: z.string(),
});
export const PaymentFailed = z.object({ transaction: ref, order: ref, project: ref, paid_by: ref, reason: z.string() });
export const PaymentRefunded = z.object({
  transaction: ref,
  order,
  project,
  paid_by: ref,
  actor: ref,
  reason: z.string(),
  amount: z.number(),
  currency: z.string(),
});

// The project service's order_placed, read tolerantly: fields we do not use may come and go.
export const OrderPlaced = z.looseObject({
  order: z.looseObject({ id, description: z.string().trim().min(1).max(500), amount, currency }),
  project: z.looseObject({ id, name: z.string().trim().min(1).max(200), owner_id: optional(id) }),
  placed_by: z.looseObject({ id }),
});
export type OrderPlaced = z.output<typeof OrderPlaced>;

// The project service's order_cancelled: which order, who cancelled it and why (none: its member did).
export const OrderCancelled = z.looseObject({
  order: z.looseObject({ id }),
  cancelled_by: z.looseObject({ id }),
  reason: optional(z.string().trim().min(1).max(500).nullable()),
});
export type OrderCancelled = z.output<typeof OrderCancelled>;
