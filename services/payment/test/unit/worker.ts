// A payment service worker on fake storage and a fake Stripe, with its dispatched events and log at hand.
import { randomUUID } from 'node:crypto';
import { createFake, workerFactory } from '@platform/shimeji/testing';
import { PaymentService } from '../../src/service';
import { fakeAttempts, fakeDb, FakeStore } from './fake-db';
import { FakeStripe } from './fake-stripe';

export function paymentWorker(store = new FakeStore(), stripe = new FakeStripe(), authenticationTimeoutMs = 15 * 60_000) {
  const db = fakeDb(store);
  const attempts = fakeAttempts(store);
  const dispatch = createFake('dispatch');
  const log = createFake('log');
  const service = workerFactory(PaymentService, { db, attempts, dispatch, stripe, log, authenticationTimeoutMs });
  /** The payloads of the events of one type, in the order dispatched. */
  const events = (type: string) => dispatch.calls.filter(([t]) => t === type).map(([, payload]) => payload);
  return { service, db, attempts, dispatch, log, store, stripe, events };
}

/** What the project service announces when an order is placed. */
export const orderPlaced = (amount = 1500) => ({
  order: { id: randomUUID(), description: 'Seeds', amount, currency: 'EUR', status: 'awaiting_payment' },
  project: { id: randomUUID(), name: 'Garden', owner_id: randomUUID() },
  placed_by: { id: randomUUID() },
});

/** A worker with an order's transaction open and a payer holding a card made from `token`. */
export async function withOrder(token = 'pm_card_visa', amount = 1500) {
  const world = paymentWorker();
  const event = orderPlaced(amount);
  await world.service.openTransaction(event);
  const payer = randomUUID();
  const card = await world.service.addPaymentMethod(payer, token);
  world.stripe.calls.length = 0;
  return { ...world, event, orderId: event.order.id, payer, card: card.id };
}

/** The error a call failed with; fails the test if it succeeded. */
export async function failure(call: Promise<unknown>): Promise<Error & { details?: { field: string }[]; reason?: string }> {
  const outcome = await call.then(
    () => undefined,
    (error: Error) => error,
  );
  if (!outcome) throw new Error('expected the call to fail, it succeeded');
  return outcome;
}
