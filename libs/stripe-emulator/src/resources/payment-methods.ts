// Payment methods: Stripe's test tokens (`pm_card_visa`, …) become payment methods of their
// own when attached to a customer or used in a payment, as they do on Stripe.
import { errors } from '../errors';
import type { Params } from '../form';
import { integer, requiredText, text } from '../params';
import type { Route } from '../routes';
import { newId, now, snapshot, type StoredPaymentMethod, type StripeState } from '../state';
import { TEST_CARDS } from '../test-cards';
import { findCustomer } from './customers';

/** A fresh payment method for a test token, unattached; undefined when `token` names no test card. */
function fromTestToken(state: StripeState, token: string): StoredPaymentMethod | undefined {
  const card = TEST_CARDS[token];
  if (!card) return undefined;
  const stored: StoredPaymentMethod = {
    card,
    object: {
      id: newId('pm'),
      object: 'payment_method',
      type: 'card',
      card: { brand: card.brand, last4: card.last4, exp_month: 12, exp_year: new Date().getFullYear() + 3, country: 'US', funding: 'credit' },
      billing_details: { address: null, email: null, name: null, phone: null },
      customer: null,
      created: now(),
      metadata: {},
      livemode: false,
    },
  };
  state.paymentMethods.set(stored.object.id, stored);
  return stored;
}

/** The payment method a parameter names: a stored one, or a new one made from a test token. */
export function resolvePaymentMethod(state: StripeState, id: string, param: string): StoredPaymentMethod {
  const found = state.paymentMethods.get(id) ?? fromTestToken(state, id);
  if (!found) throw errors.noSuchParameter('PaymentMethod', id, param);
  return found;
}

/** A customer's card payment methods, newest first, as a Stripe list. */
function listFor(state: StripeState, customerId: string, params: Params, url: string) {
  const limit = integer(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100) throw errors.invalidParameter('limit', 'This value must be between 1 and 100.');
  const type = text(params, 'type');
  if (type !== undefined && type !== 'card') throw errors.invalidParameter('type', `Invalid type: only card is emulated, got ${type}`);
  const all = [...state.paymentMethods.values()].filter((pm) => pm.object.customer === customerId).reverse();
  return { object: 'list', data: all.slice(0, limit).map((pm) => snapshot(pm.object)), has_more: all.length > limit, url };
}

export const paymentMethodRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/payment_methods/:id/attach',
    params: ['customer'],
    handle(state, { id, params }) {
      const customer = findCustomer(state, requiredText(params, 'customer'), 'customer');
      const stored = state.paymentMethods.get(id) ?? fromTestToken(state, id);
      if (!stored) throw errors.noSuchInPath('PaymentMethod', id);
      if (stored.object.customer !== null && stored.object.customer !== customer.id) throw errors.paymentMethodAttached(id);
      stored.object.customer = customer.id;
      return snapshot(stored.object);
    },
  },
  {
    method: 'GET',
    path: '/v1/payment_methods/:id',
    params: [],
    handle(state, { id }) {
      const stored = state.paymentMethods.get(id);
      if (!stored) throw errors.noSuchInPath('PaymentMethod', id);
      return snapshot(stored.object);
    },
  },
  {
    method: 'GET',
    path: '/v1/payment_methods',
    params: ['customer', 'type', 'limit'],
    handle(state, { params }) {
      const customer = findCustomer(state, requiredText(params, 'customer'), 'customer');
      return listFor(state, customer.id, params, '/v1/payment_methods');
    },
  },
  {
    method: 'GET',
    path: '/v1/customers/:id/payment_methods',
    params: ['type', 'limit'],
    handle(state, { id, params }) {
      if (!state.customers.has(id)) throw errors.noSuchInPath('customer', id);
      return listFor(state, id, params, `/v1/customers/${id}/payment_methods`);
    },
  },
];
