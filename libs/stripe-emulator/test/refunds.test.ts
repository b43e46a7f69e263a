// Refunds of payment intents, through the real Stripe SDK.
import { type Emulated, emulated, stripeError } from './client';

describe('refunds', () => {
  let world: Emulated;
  beforeAll(async () => (world = await emulated()));
  afterAll(() => world.emulator.close());

  async function paid(token = 'pm_card_visa', amount = 1500) {
    const customer = await world.stripe.customers.create({});
    const method = await world.stripe.paymentMethods.attach(token, { customer: customer.id });
    return world.stripe.paymentIntents
      .create({ amount, currency: 'eur', customer: customer.id, payment_method: method.id, allowed_payment_method_types: ['card'], confirm: true })
      .catch((error: { payment_intent: { id: string } }) => error.payment_intent);
  }

  it('refunds a payment in full, once', async () => {
    const intent = await paid();
    const refund = await world.stripe.refunds.create({ payment_intent: intent.id, reason: 'requested_by_customer', metadata: { why: 'asked' } });
    expect(refund).toMatchObject({ object: 'refund', amount: 1500, currency: 'eur', payment_intent: intent.id, status: 'succeeded', reason: 'requested_by_customer' });
    expect(world.emulator.refunds().map((r) => r.id)).toContain(refund.id);
    expect(world.emulator.charges().find((c) => c.payment_intent === intent.id)).toMatchObject({ refunded: true, amount_refunded: 1500 });
    expect(await stripeError(world.stripe.refunds.create({ payment_intent: intent.id }))).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
  });

  it('refunds part of a payment, never more than is left', async () => {
    const intent = await paid();
    await expect(world.stripe.refunds.create({ payment_intent: intent.id, amount: 500 })).resolves.toMatchObject({ amount: 500 });
    expect(await stripeError(world.stripe.refunds.create({ payment_intent: intent.id, amount: 1001 }))).toMatchObject({ code: 'amount_too_large', param: 'amount' });
    await expect(world.stripe.refunds.create({ payment_intent: intent.id })).resolves.toMatchObject({ amount: 1000 });
  });

  it('refuses to refund what was never paid, or an unknown payment', async () => {
    const declined = await paid('pm_card_chargeDeclined');
    expect(await stripeError(world.stripe.refunds.create({ payment_intent: declined.id }))).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    expect(await stripeError(world.stripe.refunds.create({ payment_intent: 'pi_nope' }))).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'payment_intent' });
    expect(await stripeError(world.stripe.refunds.create({}))).toMatchObject({ code: 'parameter_missing', param: 'payment_intent' });
    const intent = await paid();
    expect(await stripeError(world.stripe.refunds.create({ payment_intent: intent.id, reason: 'bored' as never }))).toMatchObject({ param: 'reason' });
  });
});
