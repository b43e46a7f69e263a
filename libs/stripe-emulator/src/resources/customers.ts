// Customers: created and retrieved; their payment methods are listed in payment-methods.ts.
import { errors } from '../errors';
import { hash, text } from '../params';
import type { Route } from '../routes';
import { type Customer, newId, now, snapshot, type StripeState } from '../state';

export function findCustomer(state: StripeState, id: string, param: string): Customer {
  const customer = state.customers.get(id);
  if (!customer) throw errors.noSuchParameter('customer', id, param);
  return customer;
}

export const customerRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/customers',
    params: ['email', 'name', 'description', 'metadata'],
    handle(state, { params }) {
      const customer: Customer = {
        id: newId('cus'),
        object: 'customer',
        created: now(),
        email: text(params, 'email') || null,
        name: text(params, 'name') || null,
        description: text(params, 'description') || null,
        metadata: hash(params, 'metadata'),
        invoice_settings: { default_payment_method: null },
        livemode: false,
      };
      state.customers.set(customer.id, customer);
      return snapshot(customer);
    },
  },
  {
    method: 'GET',
    path: '/v1/customers/:id',
    params: [],
    handle(state, { id }) {
      const customer = state.customers.get(id);
      if (!customer) throw errors.noSuchInPath('customer', id);
      return snapshot(customer);
    },
  },
];
