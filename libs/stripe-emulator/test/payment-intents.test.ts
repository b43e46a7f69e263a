// Payment intents charged with Stripe's test cards, through the real Stripe SDK.
import { type Emulated, emulated, stripeError } from './client';

describe('payment intents', () => {
  let world: Emulated;
  beforeAll(async () => (world = await emulated()));
  afterAll(() => world.emulator.close());

  async function customerWith(token: string) {
    const customer = await world.stripe.customers.create({});
    const method = await world.stripe.paymentMethods.attach(token, { customer: customer.id });
    return { customer: customer.id, method: method.id };
  }

  const pay = (customer: string, method: string, amount = 1500) =>
    world.stripe.paymentIntents.create({
      amount,
      currency: 'EUR',
      customer,
      payment_method: method,
      allowed_payment_method_types: ['card'],
      confirm: true,
      metadata: { order_id: 'o-1' },
    });

  it('charges a card that succeeds, once', async () => {
    const { customer, method } = await customerWith('pm_card_visa');
    const before = world.emulator.charges().length;
    const intent = await pay(customer, method);
    expect(intent).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount: 1500, amount_received: 1500, currency: 'eur' });
    expect(intent).toMatchObject({ customer, payment_method: method, metadata: { order_id: 'o-1' } });
    const charges = world.emulator.charges().slice(before);
    expect(charges).toEqual([expect.objectContaining({ id: intent.latest_charge, amount: 1500, currency: 'eur', payment_intent: intent.id, status: 'succeeded', metadata: { order_id: 'o-1' } })]);
    await expect(world.stripe.paymentIntents.retrieve(intent.id)).resolves.toMatchObject({ id: intent.id, status: 'succeeded' });
  });

  it.each([
    ['pm_card_chargeDeclined', 'generic_decline', 'Your card was declined.'],
    ['pm_card_visa_chargeDeclinedInsufficientFunds', 'insufficient_funds', 'Your card has insufficient funds.'],
  ])('declines %s with 402 card_error, decline code %s, and charges nothing', async (token, declineCode, message) => {
    const { customer, method } = await customerWith(token);
    const before = world.emulator.charges().length;
    const error = await stripeError(pay(customer, method));
    expect(error).toBeInstanceOf(world.stripe.errors.StripeCardError);
    expect(error).toMatchObject({ statusCode: 402, rawType: 'card_error', code: 'card_declined', decline_code: declineCode, message });
    const intent = error.payment_intent!;
    expect(intent).toMatchObject({ status: 'requires_payment_method', last_payment_error: { decline_code: declineCode } });
    expect(error.raw).toMatchObject({ payment_method: { id: method }, charge: expect.stringMatching(/^ch_/) });
    expect(world.emulator.charges().length).toBe(before);
  });

  it('waits for 3-D Secure with requires_action, and succeeds once confirmed', async () => {
    const { customer, method } = await customerWith('pm_card_authenticationRequired');
    const before = world.emulator.charges().length;
    const intent = await pay(customer, method);
    expect(intent).toMatchObject({ status: 'requires_action', next_action: { type: 'use_stripe_sdk' }, amount_received: 0 });
    expect(world.emulator.charges().length).toBe(before);
    const confirmed = await world.stripe.paymentIntents.confirm(intent.id);
    expect(confirmed).toMatchObject({ id: intent.id, status: 'succeeded', amount_received: 1500, next_action: null });
    expect(world.emulator.charges().slice(before).map((c) => c.payment_intent)).toEqual([intent.id]);
    const again = await stripeError(world.stripe.paymentIntents.confirm(intent.id));
    expect(again).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });

  it('hands a client what it needs to authenticate: the client secret and a next action for Stripe.js', async () => {
    const { customer, method } = await customerWith('pm_card_authenticationRequired');
    const intent = await pay(customer, method);
    expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_`));
    expect(intent.next_action).toMatchObject({ type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect' } });
    await expect(world.stripe.paymentIntents.retrieve(intent.id)).resolves.toMatchObject({ status: 'requires_action', client_secret: intent.client_secret });
  });

  it('redirects to the bank when the confirmation gives a return_url', async () => {
    const { customer, method } = await customerWith('pm_card_authenticationRequired');
    const intent = await world.stripe.paymentIntents.create({ amount: 1500, currency: 'eur', customer, payment_method: method, allowed_payment_method_types: ['card'] });
    const confirmed = await world.stripe.paymentIntents.confirm(intent.id, { return_url: 'https://shop.example/back' });
    expect(confirmed).toMatchObject({ status: 'requires_action', next_action: { type: 'redirect_to_url', redirect_to_url: { url: expect.stringMatching(/^https:/), return_url: 'https://shop.example/back' } } });
  });

  it('cancels an intent awaiting authentication, charging nothing, and refuses to confirm it afterwards', async () => {
    const { customer, method } = await customerWith('pm_card_authenticationRequired');
    const before = world.emulator.charges().length;
    const intent = await pay(customer, method);
    const canceled = await world.stripe.paymentIntents.cancel(intent.id, { cancellation_reason: 'abandoned' });
    expect(canceled).toMatchObject({ id: intent.id, status: 'canceled', cancellation_reason: 'abandoned', next_action: null, amount_received: 0 });
    expect(canceled.canceled_at).toEqual(expect.any(Number));
    expect(world.emulator.charges().length).toBe(before);
    expect(await stripeError(world.stripe.paymentIntents.confirm(intent.id))).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    expect(await stripeError(world.stripe.paymentIntents.cancel(intent.id))).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });

  it('refuses to cancel an intent that succeeded, and an unknown cancellation reason', async () => {
    const { customer, method } = await customerWith('pm_card_visa');
    const paid = await pay(customer, method);
    expect(await stripeError(world.stripe.paymentIntents.cancel(paid.id))).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state', message: expect.stringMatching(/succeeded/) });
    const other = await customerWith('pm_card_authenticationRequired');
    const waiting = await pay(other.customer, other.method);
    expect(await stripeError(world.stripe.paymentIntents.cancel(waiting.id, { cancellation_reason: 'bored' as never }))).toMatchObject({ statusCode: 400, param: 'cancellation_reason' });
    expect(await stripeError(world.stripe.paymentIntents.cancel('pi_nope'))).toMatchObject({ statusCode: 404, param: 'id' });
  });

  it('declines a card that needs authentication when the customer is not there (off session)', async () => {
    const { customer, method } = await customerWith('pm_card_authenticationRequired');
    const error = await stripeError(
      world.stripe.paymentIntents.create({ amount: 900, currency: 'eur', customer, payment_method: method, allowed_payment_method_types: ['card'], confirm: true, off_session: true }),
    );
    expect(error).toMatchObject({ statusCode: 402, code: 'authentication_required', decline_code: 'authentication_required' });
  });

  it('confirms a declined intent again with another card', async () => {
    const { customer, method } = await customerWith('pm_card_chargeDeclined');
    const declined = (await stripeError(pay(customer, method))).payment_intent!;
    const visa = await world.stripe.paymentMethods.attach('pm_card_visa', { customer });
    await expect(world.stripe.paymentIntents.confirm(declined.id, { payment_method: visa.id })).resolves.toMatchObject({ status: 'succeeded' });
  });

  it('creates an intent without confirming it, which a confirmation then charges', async () => {
    const { customer, method } = await customerWith('pm_card_visa');
    const intent = await world.stripe.paymentIntents.create({ amount: 700, currency: 'gbp', customer, payment_method: method, allowed_payment_method_types: ['card'] });
    expect(intent.status).toBe('requires_confirmation');
    await expect(world.stripe.paymentIntents.confirm(intent.id)).resolves.toMatchObject({ status: 'succeeded', currency: 'gbp' });
  });

  it('refuses what Stripe refuses, naming the parameter, and stores nothing', async () => {
    const { customer, method } = await customerWith('pm_card_visa');
    const other = await customerWith('pm_card_visa');
    const base = { amount: 1500, currency: 'eur', customer, payment_method: method, allowed_payment_method_types: ['card'], confirm: true };
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ amount: undefined }, { code: 'parameter_missing', param: 'amount' }],
      [{ amount: 0 }, { param: 'amount' }],
      [{ amount: 12.5 }, { code: 'parameter_invalid_integer', param: 'amount' }],
      [{ amount: 100_000_000 }, { code: 'amount_too_large', param: 'amount' }],
      [{ currency: 'xyz' }, { param: 'currency' }],
      [{ customer: 'cus_nope' }, { code: 'resource_missing', param: 'customer' }],
      [{ payment_method: 'pm_nope' }, { code: 'resource_missing', param: 'payment_method', message: "No such PaymentMethod: 'pm_nope'" }],
      [{ payment_method: other.method }, { param: 'payment_method' }],
      [{ customer: undefined }, { param: 'customer' }],
      [{ payment_method: undefined }, { code: 'payment_intent_unexpected_state' }],
      [{ allowed_payment_method_types: undefined }, { message: expect.stringMatching(/return_url/) }],
      [{ surprise: 'yes' }, { code: 'parameter_unknown', param: 'surprise' }],
    ];
    const before = world.emulator.charges().length;
    for (const [change, expected] of cases) {
      const error = await stripeError(world.stripe.paymentIntents.create({ ...base, ...change } as never));
      expect({ change, error: { statusCode: error.statusCode, type: error.rawType, ...(error.raw as object) } }).toMatchObject({
        change,
        error: { statusCode: 400, type: 'invalid_request_error', ...expected },
      });
    }
    expect(world.emulator.charges().length).toBe(before);
    const redirectsNever = { ...base, allowed_payment_method_types: undefined, automatic_payment_methods: { enabled: true, allow_redirects: 'never' as const } };
    await expect(world.stripe.paymentIntents.create(redirectsNever)).resolves.toMatchObject({ status: 'succeeded' });
    expect(await stripeError(world.stripe.paymentIntents.retrieve('pi_nope'))).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    expect(await stripeError(world.stripe.paymentIntents.confirm('pi_nope'))).toMatchObject({ statusCode: 404, param: 'id' });
  });
});
