// Settling an attempt under way (settlement.ts): Stripe's answer recorded and announced once.
import * as exc from '../../src/exceptions';
import { PAYMENT_METHOD_UNAVAILABLE, settle, settleConfirmation } from '../../src/settlement';
import { InProgress, StripeFailure, Unavailable } from '../../src/dependencies/stripe';
import { stepsWorld } from './steps';

describe('settling an attempt', () => {
  it('records a charge Stripe took as paid, sent under the attempt’s key, and announces it', async () => {
    const world = await stepsWorld();
    const attempt = await world.attemptUnderWay();
    const paid = await settle(world, attempt);
    expect(paid).toMatchObject({ state: 'paid', attempt: 1, payment_intent_id: expect.stringMatching(/^pi_/) });
    expect(world.stripe.charges).toEqual([{ key: `txn_${paid.id}_attempt_1`, intent: paid.payment_intent_id, amount: 1500, currency: 'EUR' }]);
    expect(world.events('payment_taken')).toEqual([expect.objectContaining({ transaction: { id: paid.id }, paid_by: { id: world.payer } })]);
  });

  it('leaves a payment that needs 3-D Secure processing with its intent, and pays it once confirmed under the confirmation’s key', async () => {
    const world = await stepsWorld('pm_card_authenticationRequired');
    const pending = await settle(world, await world.attemptUnderWay());
    expect(pending).toMatchObject({ state: 'processing', payment_intent_id: expect.stringMatching(/^pi_/) });
    expect(world.events('payment_taken')).toEqual([]);
    const paid = await settleConfirmation(world, pending);
    expect(paid).toMatchObject({ state: 'paid', payment_intent_id: pending.payment_intent_id });
    expect(world.stripe.charges.map((c) => c.key)).toEqual([`txn_${paid.id}_attempt_1_confirm`]);
    expect(world.events('payment_taken')).toHaveLength(1);
  });

  it('records a decline as failed with Stripe’s reason, announces it, then tells the caller', async () => {
    const world = await stepsWorld('pm_card_chargeDeclined');
    const attempt = await world.attemptUnderWay();
    const error = await settle(world, attempt).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(exc.PaymentDeclined);
    expect(error).toMatchObject({ reason: 'generic_decline', message: `the payment of order ${attempt.order_id} was declined: Your card was declined.` });
    expect(world.store.transactions.get(attempt.id)).toMatchObject({ state: 'failed', failure_reason: 'generic_decline', payment_intent_id: expect.stringMatching(/^pi_/) });
    expect(world.events('payment_failed')).toEqual([expect.objectContaining({ transaction: { id: attempt.id }, reason: 'generic_decline' })]);
  });

  it('declines for the payer a card gone since it was listed', async () => {
    const world = await stepsWorld();
    const attempt = await world.attemptUnderWay();
    world.stripe.cards.delete(world.card);
    await expect(settle(world, attempt)).rejects.toMatchObject({ reason: PAYMENT_METHOD_UNAVAILABLE });
    expect(world.store.transactions.get(attempt.id)).toMatchObject({ state: 'failed', failure_reason: 'payment_method_unavailable' });
  });

  it('leaves the attempt processing when Stripe’s answer is lost, and settles it when sent again under the same key', async () => {
    const world = await stepsWorld();
    const attempt = await world.attemptUnderWay();
    world.stripe.failNext = { method: 'charge', error: new Error('socket hang up'), afterWork: true };
    await expect(settle(world, attempt)).rejects.toThrow('socket hang up');
    expect(world.store.transactions.get(attempt.id)).toMatchObject({ state: 'processing', payment_intent_id: null });
    await expect(settle(world, attempt)).resolves.toMatchObject({ state: 'paid' });
    expect(world.stripe.charges).toHaveLength(1);
    expect(world.events('payment_taken')).toHaveLength(1);
  });

  it('says Stripe is unavailable when it cannot be reached, leaving the attempt payable, and charges once when it is back', async () => {
    const world = await stepsWorld();
    const attempt = await world.attemptUnderWay();
    world.stripe.failNext = { method: 'charge', error: new Unavailable('connect ECONNREFUSED'), afterWork: false };
    await expect(settle(world, attempt)).rejects.toBeInstanceOf(exc.PaymentProviderUnavailable);
    expect(world.store.transactions.get(attempt.id)).toMatchObject({ state: 'processing', payment_intent_id: null });
    expect(world.stripe.charges).toEqual([]);
    expect(world.dispatched).toEqual([]);
    await expect(settle(world, attempt)).resolves.toMatchObject({ state: 'paid' });
    expect(world.stripe.charges.map((c) => c.key)).toEqual([`txn_${attempt.id}_attempt_1`]);
  });

  it('says Stripe timed out after charging as unavailable too, and the retry under the same key charges no more', async () => {
    const world = await stepsWorld();
    const attempt = await world.attemptUnderWay();
    world.stripe.failNext = { method: 'charge', error: new Unavailable('Request aborted due to timeout being reached'), afterWork: true };
    await expect(settle(world, attempt)).rejects.toBeInstanceOf(exc.PaymentProviderUnavailable);
    await expect(settle(world, attempt)).resolves.toMatchObject({ state: 'paid' });
    expect(world.stripe.charges).toHaveLength(1);
    expect(world.events('payment_taken')).toHaveLength(1);
  });

  it('says PaymentProviderError for an answer from Stripe it does not understand, recording nothing', async () => {
    const world = await stepsWorld();
    const attempt = await world.attemptUnderWay();
    world.stripe.failNext = { method: 'charge', error: new StripeFailure('stripe: Invalid API Key provided'), afterWork: false };
    await expect(settle(world, attempt)).rejects.toBeInstanceOf(exc.PaymentProviderError);
    expect(world.store.transactions.get(attempt.id)).toMatchObject({ state: 'processing', payment_intent_id: null });
    expect(world.dispatched).toEqual([]);
  });

  it('asks the caller to read again while the same attempt is still running at Stripe', async () => {
    const world = await stepsWorld();
    const attempt = await world.attemptUnderWay();
    world.stripe.failNext = { method: 'charge', error: new InProgress('idempotency_key_in_use'), afterWork: false };
    await expect(settle(world, attempt)).rejects.toBeInstanceOf(exc.ConcurrentChange);
    expect(world.store.transactions.get(attempt.id)).toMatchObject({ state: 'processing' });
  });

  it('keeps the record of a concurrent call that settled the same attempt first, announcing nothing', async () => {
    const world = await stepsWorld();
    const attempt = await world.attemptUnderWay();
    const first = await settle(world, attempt);
    world.dispatched.length = 0;
    await expect(settle(world, attempt)).resolves.toEqual(first); // Stripe replays its answer under the same key
    expect(world.dispatched).toEqual([]);
  });

  it('says ConcurrentChange when a newer attempt was recorded meanwhile', async () => {
    const world = await stepsWorld();
    const stale = await world.attemptUnderWay();
    const failed = await world.db.transactions.recordOutcome(stale, { state: 'failed', failure_reason: 'generic_decline', payment_intent_id: null });
    await world.attemptUnderWay(failed);
    await expect(settle(world, stale)).rejects.toEqual(new exc.ConcurrentChange(`order ${stale.order_id} changed meanwhile; read it again`));
    expect(world.dispatched).toEqual([]);
  });
});
