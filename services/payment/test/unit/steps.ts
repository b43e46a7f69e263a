// The world the payment steps (paying, settlement, refunding) work in, without a worker: fake
// storage, a fake Stripe and a dispatch that keeps what it was given. One order's transaction is
// open, and a payer holds a card made from `token`.
import { randomUUID } from 'node:crypto';
import type { TransactionRow } from '../../src/dependencies/db';
import { fakeAttempts, fakeDb, FakeStore } from './fake-db';
import { FakeStripe } from './fake-stripe';

export async function stepsWorld(token = 'pm_card_visa') {
  const store = new FakeStore();
  const db = fakeDb(store);
  const attempts = fakeAttempts(store);
  const stripe = new FakeStripe();
  const dispatched: [string, unknown][] = [];
  const dispatch = (type: string, payload: unknown) => void dispatched.push([type, payload]);
  /** The payloads of the events of one type, in the order dispatched. */
  const events = (type: string) => dispatched.filter(([t]) => t === type).map(([, payload]) => payload);

  const opened = (await db.transactions.open({
    id: randomUUID(),
    order_id: randomUUID(),
    project_id: randomUUID(),
    project_name: 'Garden',
    description: 'Seeds',
    amount: 1500,
    currency: 'EUR',
  }))!;
  const payer = randomUUID();
  const customer = await stripe.ensureCustomer(payer);
  await db.customers.add(payer, customer);
  const card = (await stripe.addPaymentMethod(customer, token)).id;
  stripe.calls.length = 0;

  /** The next attempt with the payer's card, `processing` and on record, as paying.ts leaves it. */
  const attemptUnderWay = (t: TransactionRow = opened) => db.transactions.beginAttempt(t, { paid_by: payer, payment_method_id: card, stripe_customer_id: customer });
  return { store, db, attempts, stripe, dispatch, dispatched, events, opened, payer, customer, card, attemptUnderWay };
}
