// Paying for orders, confirming 3-D Secure and refunding, with fake storage and a fake Stripe:
// no database, no broker, no network.
import { randomUUID } from 'node:crypto';
import { ConcurrencyConflict } from '@platform/db';
import * as exc from '../../src/exceptions';
import { failure, orderPlaced, paymentWorker, withOrder } from './worker';

describe('paying for an order', () => {
  it('charges the order’s amount under the attempt’s key and announces the payment', async () => {
    const { service, stripe, events, event, orderId, payer, card } = await withOrder();
    const paid = await service.payOrder(orderId, card, payer);
    expect(paid).toMatchObject({ order_id: orderId, state: 'paid', attempt: 1, paid_by: payer, payment_method_id: card, amount: 1500, currency: 'EUR' });
    expect(stripe.charges).toEqual([{ key: `txn_${paid.id}_attempt_1`, intent: paid.payment_intent_id, amount: 1500, currency: 'EUR' }]);
    expect(events('payment_taken')).toEqual([
      {
        transaction: { id: paid.id },
        order: { id: orderId, description: 'Seeds', amount: 1500, currency: 'EUR' },
        project: { id: event.project.id, name: 'Garden' },
        payment_method: { id: card },
        paid_by: { id: payer },
        amount: 1500,
        currency: 'EUR',
      },
    ]);
  });

  it('answers the same call again with the payment as it is, charging and announcing nothing', async () => {
    const { service, stripe, events, orderId, payer, card } = await withOrder();
    const paid = await service.payOrder(orderId, card, payer);
    stripe.calls.length = 0;
    await expect(service.payOrder(orderId, card, payer)).resolves.toEqual(paid);
    expect(stripe.calls).toEqual([]);
    expect(events('payment_taken')).toHaveLength(1);
  });

  it('refuses to pay a paid order with another card or payer, naming the state', async () => {
    const { service, stripe, orderId, payer, card } = await withOrder();
    await service.payOrder(orderId, card, payer);
    const other = await service.addPaymentMethod(payer, 'pm_card_mastercard');
    const error = (await failure(service.payOrder(orderId, other.id, payer))) as exc.BadRequest;
    expect(error).toBeInstanceOf(exc.BadRequest);
    expect(error.message).toBe(`order ${orderId} is already paid`);
    expect(error.details).toEqual([{ field: 'orderId', message: error.message }]);
    expect(stripe.charges).toHaveLength(1);
  });

  it('reports a decline with Stripe’s reason, keeps the transaction failed, and lets a new attempt pay', async () => {
    const { service, stripe, events, orderId, payer, card: declined } = await withOrder('pm_card_chargeDeclined');
    const error = await failure(service.payOrder(orderId, declined, payer));
    expect(error).toBeInstanceOf(exc.PaymentDeclined);
    expect(error).toMatchObject({ reason: 'generic_decline', args: [expect.stringMatching(/declined: Your card was declined/), 'generic_decline'] });
    const failed = await service.getTransactionByOrder(orderId);
    expect(failed).toMatchObject({ state: 'failed', attempt: 1, failure_reason: 'generic_decline', payment_intent_id: expect.stringMatching(/^pi_/) });
    expect(events('payment_failed')).toEqual([
      { transaction: { id: failed.id }, order: { id: orderId }, project: { id: failed.project_id }, paid_by: { id: payer }, reason: 'generic_decline' },
    ]);

    const good = await service.addPaymentMethod(payer, 'pm_card_visa');
    const paid = await service.payOrder(orderId, good.id, payer);
    expect(paid).toMatchObject({ state: 'paid', attempt: 2, failure_reason: null, payment_method_id: good.id });
    expect(stripe.charges.map((c) => c.key)).toEqual([`txn_${paid.id}_attempt_2`]);
  });

  it('leaves an attempt processing when Stripe’s answer is lost, and the next call settles it under the same key', async () => {
    const { service, stripe, events, orderId, payer, card } = await withOrder();
    stripe.failNext = { method: 'charge', error: new Error('socket hang up'), afterWork: true };
    await expect(service.payOrder(orderId, card, payer)).rejects.toThrow('socket hang up');
    expect(stripe.charges).toHaveLength(1); // Stripe charged; we never heard
    await expect(service.getTransactionByOrder(orderId)).resolves.toMatchObject({ state: 'processing', attempt: 1, payment_intent_id: null });

    const someoneElse = randomUUID();
    const settled = await service.payOrder(orderId, card, someoneElse);
    expect(settled).toMatchObject({ state: 'paid', attempt: 1, paid_by: payer });
    expect(stripe.charges).toHaveLength(1);
    expect(events('payment_taken')).toHaveLength(1);
  });

  it('says ConcurrentChange when another call began an attempt meanwhile, and charges nothing', async () => {
    const { service, attempts, stripe, orderId, payer, card } = await withOrder();
    attempts.begin = async () => {
      throw new ConcurrencyConflict('moved on');
    };
    await expect(service.payOrder(orderId, card, payer)).rejects.toBeInstanceOf(exc.ConcurrentChange);
    expect(stripe.calls).not.toContain('charge');
  });

  it('keeps the record of a concurrent call that settled the same attempt first, announcing once', async () => {
    const { service, db, events, orderId, payer, card } = await withOrder();
    const recordOutcome = db.transactions.recordOutcome.bind(db.transactions);
    let raced = false;
    db.transactions.recordOutcome = async (transaction, outcome) => {
      if (!raced) {
        raced = true;
        await recordOutcome(transaction, outcome); // the concurrent call records it first ...
      }
      return recordOutcome(transaction, outcome); // ... so this one's version is stale
    };
    await expect(service.payOrder(orderId, card, payer)).resolves.toMatchObject({ state: 'paid', attempt: 1 });
    expect(raced).toBe(true);
    expect(events('payment_taken')).toEqual([]); // the other call announced it
  });

  it('names what is missing: no transaction, no customer, no such card, someone else’s card', async () => {
    const { service, stripe, store, orderId, payer, card } = await withOrder();
    const stranger = randomUUID();
    const strangersCard = await service.addPaymentMethod(stranger, 'pm_card_visa');
    const before = store.snapshot();
    await expect(service.payOrder(randomUUID(), card, payer)).rejects.toBeInstanceOf(exc.TransactionNotFound);
    await expect(service.payOrder(orderId, card, randomUUID())).rejects.toBeInstanceOf(exc.NotFound);
    await expect(service.payOrder(orderId, 'pm_unknown', payer)).rejects.toThrow(`user ${payer} has no payment method pm_unknown`);
    await expect(service.payOrder(orderId, strangersCard.id, payer)).rejects.toBeInstanceOf(exc.NotFound);
    expect(store.snapshot()).toEqual(before);
    expect(stripe.calls).not.toContain('charge');
  });
});

describe('payments that need 3-D Secure', () => {
  it('wait processing with the payment intent, and are paid once confirmed', async () => {
    const { service, stripe, events, orderId, payer, card } = await withOrder('pm_card_authenticationRequired');
    const pending = await service.payOrder(orderId, card, payer);
    expect(pending).toMatchObject({ state: 'processing', attempt: 1, payment_intent_id: expect.stringMatching(/^pi_/) });
    await expect(service.payOrder(orderId, card, payer)).resolves.toEqual(pending);
    expect(stripe.charges).toEqual([]);
    expect(events('payment_taken')).toEqual([]);

    const paid = await service.confirmPaymentIntent(pending.payment_intent_id!, payer);
    expect(paid).toMatchObject({ state: 'paid', payment_intent_id: pending.payment_intent_id });
    expect(stripe.charges.map((c) => c.key)).toEqual([`txn_${paid.id}_attempt_1_confirm`]);
    expect(events('payment_taken')).toHaveLength(1);
    await expect(service.confirmPaymentIntent(pending.payment_intent_id!, payer)).resolves.toEqual(paid);
    expect(events('payment_taken')).toHaveLength(1);
  });

  it('refuses another card while one awaits confirmation, and confirming what is not processing', async () => {
    const { service, orderId, payer, card } = await withOrder('pm_card_authenticationRequired');
    const pending = await service.payOrder(orderId, card, payer);
    const other = await service.addPaymentMethod(payer, 'pm_card_visa');
    await expect(service.payOrder(orderId, other.id, payer)).rejects.toThrow(/awaiting confirmation \(3-D Secure, payment intent pi_/);
    await expect(service.confirmPaymentIntent('pi_unknown', payer)).rejects.toBeInstanceOf(exc.TransactionNotFound);

    const declined = await withOrder('pm_card_chargeDeclined');
    await failure(declined.service.payOrder(declined.orderId, declined.card, declined.payer));
    const failed = await declined.service.getTransactionByOrder(declined.orderId);
    await expect(declined.service.confirmPaymentIntent(failed.payment_intent_id!, declined.payer)).rejects.toThrow(/is failed: it cannot be confirmed/);
    expect(pending.state).toBe('processing');
  });

  it('hand the payer what their client authenticates with, and forget it once paid', async () => {
    const { service, orderId, payer, card } = await withOrder('pm_card_authenticationRequired');
    const pending = await service.payOrder(orderId, card, payer);
    expect(pending).toMatchObject({ client_secret: expect.stringMatching(/_secret_/), next_action: { type: 'use_stripe_sdk' }, authentication_started_at: expect.any(String) });
    const paid = await service.confirmPaymentIntent(pending.payment_intent_id!, payer);
    expect(paid).toMatchObject({ client_secret: null, next_action: null, authentication_started_at: null });
  });

  it('refuse to confirm another payer’s payment, as if there were none', async () => {
    const { service, orderId, payer, card } = await withOrder('pm_card_authenticationRequired');
    const pending = await service.payOrder(orderId, card, payer);
    await expect(service.confirmPaymentIntent(pending.payment_intent_id!, randomUUID())).rejects.toBeInstanceOf(exc.TransactionNotFound);
  });

  it('may be abandoned by their payer: cancelled at Stripe, failed, then paid by another card once', async () => {
    const { service, stripe, events, orderId, payer, card } = await withOrder('pm_card_authenticationRequired');
    const pending = await service.payOrder(orderId, card, payer);
    const abandoned = await service.abandonPayment(orderId, payer);
    expect(abandoned).toMatchObject({ state: 'failed', failure_reason: 'authentication_abandoned', client_secret: null });
    expect(stripe.intents.get(pending.payment_intent_id!)?.status).toBe('canceled');
    await expect(service.abandonPayment(orderId, payer)).resolves.toEqual(abandoned);
    expect(events('payment_failed')).toHaveLength(1);
    const visa = await service.addPaymentMethod(payer, 'pm_card_visa');
    const paid = await service.payOrder(orderId, visa.id, payer);
    expect(paid).toMatchObject({ state: 'paid', attempt: 2 });
    expect(stripe.charges.map((c) => c.key)).toEqual([`txn_${paid.id}_attempt_2`]);
    await expect(service.abandonPayment(orderId, payer)).rejects.toBeInstanceOf(exc.NotAwaitingAuthentication);
  });

  it('refuse abandoning another payer’s authentication, and one that was never asked for', async () => {
    const { service, orderId, payer, card } = await withOrder('pm_card_authenticationRequired');
    await expect(service.abandonPayment(orderId, payer)).rejects.toThrow(/is awaiting_payment: no payment of it awaits authentication/);
    await service.payOrder(orderId, card, payer);
    await expect(service.abandonPayment(orderId, randomUUID())).rejects.toThrow(/another payer/);
  });

  it('are replaced by a new attempt once PAYMENT_AUTHENTICATION_TIMEOUT has passed, and refused before, naming it', async () => {
    const world = paymentWorker(undefined, undefined, 0);
    const event = orderPlaced();
    await world.service.openTransaction(event);
    const payer = randomUUID();
    const secure = await world.service.addPaymentMethod(payer, 'pm_card_authenticationRequired');
    const visa = await world.service.addPaymentMethod(payer, 'pm_card_visa');
    const pending = await world.service.payOrder(event.order.id, secure.id, payer);
    const paid = await world.service.payOrder(event.order.id, visa.id, payer);
    expect(paid).toMatchObject({ state: 'paid', attempt: 2, payment_method_id: visa.id });
    expect(world.stripe.intents.get(pending.payment_intent_id!)?.status).toBe('canceled');
    expect(world.events('payment_failed')).toEqual([expect.objectContaining({ reason: 'authentication_timed_out' })]);

    const patient = await withOrder('pm_card_authenticationRequired');
    await patient.service.payOrder(patient.orderId, patient.card, patient.payer);
    const other = await patient.service.addPaymentMethod(patient.payer, 'pm_card_visa');
    await expect(patient.service.payOrder(patient.orderId, other.id, patient.payer)).rejects.toThrow(/PAYMENT_AUTHENTICATION_TIMEOUT \(15m\)/);
  });
});

describe('refunding', () => {
  it('gives a paid order’s money back once, recording who asked and why, and announces it', async () => {
    const { service, stripe, store, events, event, orderId, payer, card } = await withOrder();
    const paid = await service.payOrder(orderId, card, payer);
    const admin = randomUUID();
    const refunded = await service.refundPayment(orderId, ' customer asked ', admin);
    expect(refunded).toMatchObject({ id: paid.id, state: 'refunded' });
    expect(stripe.refunds).toEqual([{ key: `refund_${paid.id}`, intent: paid.payment_intent_id }]);
    expect(store.refunds).toEqual([expect.objectContaining({ transaction_id: paid.id, amount: 1500, currency: 'EUR', reason: 'customer asked', actor_id: admin })]);
    expect(events('payment_refunded')).toEqual([
      {
        transaction: { id: paid.id },
        order: { id: orderId, description: 'Seeds', amount: 1500, currency: 'EUR' },
        project: { id: event.project.id, name: 'Garden' },
        paid_by: { id: payer },
        actor: { id: admin },
        reason: 'customer asked',
        amount: 1500,
        currency: 'EUR',
      },
    ]);

    await expect(service.refundPayment(orderId, 'again', admin)).resolves.toEqual(refunded);
    expect(stripe.refunds).toHaveLength(1);
    expect(events('payment_refunded')).toHaveLength(1);
  });

  it('refuses to refund an order that was not paid, naming its state', async () => {
    const { service, stripe, orderId } = await withOrder();
    const error = (await failure(service.refundPayment(orderId, 'why', randomUUID()))) as exc.BadRequest;
    expect(error).toBeInstanceOf(exc.BadRequest);
    expect(error.message).toBe(`order ${orderId} is awaiting_payment: only a paid order can be refunded`);
    expect(stripe.calls).toEqual([]);
    await expect(service.refundPayment(randomUUID(), 'why', randomUUID())).rejects.toBeInstanceOf(exc.TransactionNotFound);
  });

  it('returns the refund a concurrent call made rather than refunding twice', async () => {
    const { service, db, events, orderId, payer, card } = await withOrder();
    await service.payOrder(orderId, card, payer);
    const markRefunded = db.transactions.markRefunded.bind(db.transactions);
    db.transactions.markRefunded = async (transaction) => {
      await markRefunded(transaction); // the concurrent call wins ...
      return markRefunded(transaction); // ... and this one's version is stale
    };
    await expect(service.refundPayment(orderId, 'asked', randomUUID())).resolves.toMatchObject({ state: 'refunded' });
    expect(events('payment_refunded')).toEqual([]);
  });
});
