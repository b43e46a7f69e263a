// Payment intents: created (and confirmed at once with `confirm=true`), retrieved, confirmed,
// cancelled. Confirming charges the payment method, and its test card decides: it succeeds, is
// declined (402, the intent waits for another payment method), or needs 3-D Secure
// (`requires_action`, with the `next_action` Stripe.js follows: `redirect_to_url` when the
// confirmation gave a `return_url`, `use_stripe_sdk` otherwise). Confirming an intent that
// requires action stands for the customer having authenticated: it succeeds. Cancelling one that
// has not succeeded ends it, `canceled`, with nothing charged.
import { errors } from '../errors';
import type { Params } from '../form';
import { boolean, hash, integer, list, requiredText, text } from '../params';
import type { Route } from '../routes';
import { type Charge, newId, now, type PaymentIntent, snapshot, type StoredPaymentMethod, type StripeState } from '../state';
import { type CardOutcome, OFF_SESSION_AUTHENTICATION } from '../test-cards';
import { findCustomer } from './customers';
import { resolvePaymentMethod } from './payment-methods';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency').map((c) => c.toLowerCase()));
const MAX_AMOUNT = 99_999_999;

export function findIntent(state: StripeState, id: string, param?: string): PaymentIntent {
  const intent = state.paymentIntents.get(id);
  if (!intent) throw param ? errors.noSuchParameter('payment_intent', id, param) : errors.noSuchInPath('payment_intent', id);
  return intent;
}

/** `off_session=true` (or `one_off` / `recurring`): the customer is not there to authenticate. */
const isOffSession = (params: Params): boolean => ['true', 'one_off', 'recurring'].includes(String(params.off_session));

function amountOf(params: Params): number {
  const amount = integer(params, 'amount');
  if (amount === undefined) throw errors.missingParameter('amount');
  if (amount < 1) throw errors.invalidParameter('amount', 'This value must be greater than or equal to 1.');
  if (amount > MAX_AMOUNT) throw errors.amountTooLarge('amount');
  return amount;
}

function currencyOf(params: Params): string {
  const currency = requiredText(params, 'currency').toLowerCase();
  if (!CURRENCIES.has(currency)) throw errors.invalidParameter('currency', `Invalid currency: ${currency}.`);
  return currency;
}

/** A payment method for this intent's customer: its own, or one attached to nobody. */
function paymentMethodFor(state: StripeState, intent: PaymentIntent, id: string): StoredPaymentMethod {
  const stored = resolvePaymentMethod(state, id, 'payment_method');
  const owner = stored.object.customer;
  if (owner !== null && intent.customer === null) throw errors.paymentMethodNeedsCustomer(id, owner);
  if (owner !== null && owner !== intent.customer) throw errors.paymentMethodOfAnotherCustomer(id);
  return stored;
}

/** Stripe's default (automatic payment methods that may redirect) needs a return_url to confirm. */
function checkCanConfirm(intent: PaymentIntent, params: Params): void {
  const redirects = intent.automatic_payment_methods?.enabled && intent.automatic_payment_methods.allow_redirects !== 'never';
  if (redirects && !text(params, 'return_url')) throw errors.returnUrlRequired();
}

function addCharge(state: StripeState, intent: PaymentIntent, outcome: CardOutcome): Charge {
  const declined = outcome.kind === 'declined' ? outcome : undefined;
  const charge: Charge = {
    id: newId('ch'),
    object: 'charge',
    amount: intent.amount,
    amount_refunded: 0,
    currency: intent.currency,
    customer: intent.customer,
    payment_intent: intent.id,
    payment_method: intent.payment_method!,
    status: declined ? 'failed' : 'succeeded',
    paid: !declined,
    refunded: false,
    failure_code: declined?.code ?? null,
    failure_message: declined?.message ?? null,
    metadata: { ...intent.metadata },
    created: now(),
    livemode: false,
  };
  state.charges.set(charge.id, charge);
  intent.latest_charge = charge.id;
  return charge;
}

function succeed(state: StripeState, intent: PaymentIntent): void {
  addCharge(state, intent, { kind: 'succeeds' });
  Object.assign(intent, { status: 'succeeded', amount_received: intent.amount, next_action: null, last_payment_error: null });
}

/** What Stripe.js does next: with a return_url the customer is redirected to their bank and back; without, Stripe.js shows the challenge. */
function authenticationFor(intent: PaymentIntent, returnUrl?: string): Record<string, unknown> {
  const url = `https://hooks.stripe.com/3d_secure_2/authenticate/${intent.id}`;
  if (returnUrl) return { type: 'redirect_to_url', redirect_to_url: { url, return_url: returnUrl } };
  return { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url } };
}

/** Charges the payment method; a decline leaves the intent waiting for another and answers 402. */
function attempt(state: StripeState, intent: PaymentIntent, method: StoredPaymentMethod, offSession: boolean, returnUrl?: string): void {
  intent.payment_method = method.object.id;
  const outcome = offSession && method.card.outcome.kind === 'authentication_required' ? OFF_SESSION_AUTHENTICATION : method.card.outcome;
  if (outcome.kind === 'succeeds') return succeed(state, intent);
  if (outcome.kind === 'authentication_required') {
    intent.status = 'requires_action';
    intent.next_action = authenticationFor(intent, returnUrl);
    return;
  }
  const charge = addCharge(state, intent, outcome);
  const error = { type: 'card_error', code: outcome.code, decline_code: outcome.declineCode, message: outcome.message, charge: charge.id, payment_method: snapshot(method.object) };
  Object.assign(intent, { status: 'requires_payment_method', last_payment_error: error, next_action: null });
  throw errors.cardDeclined(outcome.code, outcome.declineCode, outcome.message, {
    charge: charge.id,
    payment_intent: snapshot(intent),
    payment_method: snapshot(method.object),
  });
}

function create(state: StripeState, params: Params): PaymentIntent {
  const amount = amountOf(params);
  const currency = currencyOf(params);
  const customerId = text(params, 'customer');
  const customer = customerId ? findCustomer(state, customerId, 'customer') : undefined;
  // `allowed_payment_method_types` since API version 2026-09-30.endive, `payment_method_types` before.
  const typesParam = params.allowed_payment_method_types !== undefined ? 'allowed_payment_method_types' : 'payment_method_types';
  const types = list(params, typesParam);
  for (const type of types ?? []) if (type !== 'card') throw errors.invalidParameter(typesParam, `The payment method type "${type}" is not emulated.`);
  const automatic = params.automatic_payment_methods as Record<string, string> | undefined;
  const intent: PaymentIntent = {
    id: newId('pi'),
    object: 'payment_intent',
    amount,
    amount_received: 0,
    currency,
    customer: customer?.id ?? null,
    payment_method: null,
    payment_method_types: types ?? ['card'],
    allowed_payment_method_types: types ?? ['card'],
    automatic_payment_methods: types ? null : { enabled: true, allow_redirects: automatic?.allow_redirects ?? 'always' },
    status: 'requires_payment_method',
    description: text(params, 'description') || null,
    metadata: hash(params, 'metadata'),
    client_secret: '',
    capture_method: 'automatic',
    confirmation_method: 'automatic',
    latest_charge: null,
    last_payment_error: null,
    next_action: null,
    cancellation_reason: null,
    canceled_at: null,
    created: now(),
    livemode: false,
  };
  intent.client_secret = `${intent.id}_secret_${newId('s').slice(2)}`;
  const methodId = text(params, 'payment_method');
  const method = methodId ? paymentMethodFor(state, intent, methodId) : undefined;
  const confirm = boolean(params, 'confirm');
  if (confirm && !method) throw errors.missingPaymentMethod();
  if (confirm) checkCanConfirm(intent, params);
  if (method) Object.assign(intent, { payment_method: method.object.id, status: 'requires_confirmation' });
  state.paymentIntents.set(intent.id, intent);
  if (confirm) attempt(state, intent, method!, isOffSession(params), text(params, 'return_url'));
  return intent;
}

function confirm(state: StripeState, id: string, params: Params): PaymentIntent {
  const intent = findIntent(state, id);
  if (intent.status === 'succeeded' || intent.status === 'canceled') {
    const done = intent.status === 'succeeded' ? 'has already succeeded after being previously confirmed' : 'has been canceled';
    throw errors.intentUnexpectedState(`You cannot confirm this PaymentIntent because it ${done}.`);
  }
  const methodId = text(params, 'payment_method');
  if (intent.status === 'requires_action' && (!methodId || methodId === intent.payment_method)) {
    succeed(state, intent);
    return intent;
  }
  const chosen = methodId ?? intent.payment_method;
  if (!chosen) throw errors.missingPaymentMethod();
  const method = paymentMethodFor(state, intent, chosen);
  checkCanConfirm(intent, params);
  attempt(state, intent, method, isOffSession(params), text(params, 'return_url'));
  return intent;
}

const CANCELLATION_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'];

/** Ends an intent that has not succeeded: `canceled`, its authentication (if any) no longer possible. */
function cancel(state: StripeState, id: string, params: Params): PaymentIntent {
  const intent = findIntent(state, id);
  if (intent.status === 'succeeded' || intent.status === 'canceled') {
    throw errors.intentUnexpectedState(`You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`);
  }
  const reason = text(params, 'cancellation_reason');
  if (reason && !CANCELLATION_REASONS.includes(reason)) throw errors.invalidParameter('cancellation_reason', `Invalid cancellation_reason: must be one of ${CANCELLATION_REASONS.join(', ')}`);
  Object.assign(intent, { status: 'canceled', cancellation_reason: reason ?? null, canceled_at: now(), next_action: null });
  return intent;
}

export const paymentIntentRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/payment_intents',
    params: [
      'amount',
      'currency',
      'customer',
      'payment_method',
      'allowed_payment_method_types',
      'payment_method_types',
      'automatic_payment_methods',
      'confirm',
      'off_session',
      'return_url',
      'description',
      'metadata',
    ],
    handle: (state, { params }) => snapshot(create(state, params)),
  },
  {
    method: 'GET',
    path: '/v1/payment_intents/:id',
    params: ['client_secret'],
    handle: (state, { id }) => snapshot(findIntent(state, id)),
  },
  {
    method: 'POST',
    path: '/v1/payment_intents/:id/confirm',
    params: ['payment_method', 'off_session', 'return_url'],
    handle: (state, { id, params }) => snapshot(confirm(state, id, params)),
  },
  {
    method: 'POST',
    path: '/v1/payment_intents/:id/cancel',
    params: ['cancellation_reason'],
    handle: (state, { id, params }) => snapshot(cancel(state, id, params)),
  },
];
