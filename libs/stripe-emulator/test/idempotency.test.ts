// Idempotency keys, as Stripe keeps them: the same request with the same key is answered from
// what was stored, never run twice.
import { type Emulated, emulated, stripeError } from './client';

describe('idempotency keys', () => {
  let world: Emulated;
  beforeAll(async () => (world = await emulated()));
  afterAll(() => world.emulator.close());

  async function visaCustomer() {
    const customer = await world.stripe.customers.create({});
    const method = await world.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    return { customer: customer.id, payment_method: method.id, allowed_payment_method_types: ['card'], confirm: true };
  }

  it('replays the stored response for the same key and parameters, marked Idempotent-Replayed, charging once', async () => {
    const params = { amount: 1500, currency: 'eur', ...(await visaCustomer()) };
    const before = world.emulator.charges().length;
    const first = await world.stripe.paymentIntents.create(params, { idempotencyKey: 'txn_1_attempt_1' });
    const second = await world.stripe.paymentIntents.create(params, { idempotencyKey: 'txn_1_attempt_1' });
    expect(second.id).toBe(first.id);
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(second.lastResponse.headers['idempotency-key']).toBe('txn_1_attempt_1');
    expect(world.emulator.charges().length).toBe(before + 1);
  });

  it('replays a decline too: the request ran, so its answer is kept', async () => {
    const customer = await world.stripe.customers.create({});
    const method = await world.stripe.paymentMethods.attach('pm_card_chargeDeclined', { customer: customer.id });
    const params = { amount: 1500, currency: 'eur', customer: customer.id, payment_method: method.id, allowed_payment_method_types: ['card'], confirm: true };
    const first = await stripeError(world.stripe.paymentIntents.create(params, { idempotencyKey: 'declined_once' }));
    const second = await stripeError(world.stripe.paymentIntents.create(params, { idempotencyKey: 'declined_once' }));
    expect(second).toMatchObject({ statusCode: 402, decline_code: 'generic_decline' });
    expect(second.payment_intent!.id).toBe(first.payment_intent!.id);
    expect(second.headers!['idempotent-replayed']).toBe('true');
  });

  it('refuses the same key with other parameters: 400 idempotency_error', async () => {
    const params = { amount: 1500, currency: 'eur', ...(await visaCustomer()) };
    await world.stripe.paymentIntents.create(params, { idempotencyKey: 'txn_2_attempt_1' });
    const error = await stripeError(world.stripe.paymentIntents.create({ ...params, amount: 1600 }, { idempotencyKey: 'txn_2_attempt_1' }));
    expect(error).toBeInstanceOf(world.stripe.errors.StripeIdempotencyError);
    expect(error).toMatchObject({ statusCode: 400, rawType: 'idempotency_error', message: expect.stringMatching(/same parameters/) });
    const elsewhere = await stripeError(world.stripe.customers.create({}, { idempotencyKey: 'txn_2_attempt_1' }));
    expect(elsewhere).toMatchObject({ statusCode: 400, rawType: 'idempotency_error' });
  });

  it('stores nothing for a request refused before it ran, so it can be sent again corrected', async () => {
    const params = { amount: 1500, currency: 'eur', ...(await visaCustomer()) };
    await stripeError(world.stripe.paymentIntents.create({ ...params, currency: 'xyz' }, { idempotencyKey: 'fixed_later' }));
    await expect(world.stripe.paymentIntents.create(params, { idempotencyKey: 'fixed_later' })).resolves.toMatchObject({ status: 'succeeded' });
  });

  it('keeps keys apart per API key', async () => {
    const first = await world.stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey: 'shared', apiKey: 'sk_test_one' });
    const second = await world.stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey: 'shared', apiKey: 'sk_test_two' });
    expect(second.id).not.toBe(first.id);
  });
});

describe('idempotency keys of requests still running', () => {
  let world: Emulated;
  beforeAll(async () => (world = await emulated({ latencyMs: 200 })));
  afterAll(() => world.emulator.close());

  it('answers 409 idempotency_error while the first request with the key runs; the SDK retries it into a replay', async () => {
    const request = () => world.once.customers.create({ name: 'Ann' }, { idempotencyKey: 'busy' });
    const [first, second] = await Promise.allSettled([request(), new Promise((r) => setTimeout(r, 50)).then(request)]);
    expect(first.status).toBe('fulfilled');
    const busy = (second as PromiseRejectedResult).reason as { statusCode: number; raw: unknown };
    expect(busy.statusCode).toBe(409);
    expect(busy.raw).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_in_use' });

    const retried = () => world.stripe.customers.create({ name: 'Bob' }, { idempotencyKey: 'busy_then_replayed' });
    const [a, b] = await Promise.all([retried(), new Promise((r) => setTimeout(r, 50)).then(retried)]);
    expect(b.id).toBe(a.id);
  });
});
