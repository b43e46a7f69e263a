// Customers and their payment methods, through the real Stripe SDK.
import { type Emulated, emulated, stripeError } from './client';

describe('customers', () => {
  let world: Emulated;
  beforeAll(async () => (world = await emulated()));
  afterAll(() => world.emulator.close());

  it('creates a customer and retrieves it', async () => {
    const created = await world.stripe.customers.create({ email: 'ann@example.com', metadata: { user_id: 'u-1' } });
    expect(created).toMatchObject({ object: 'customer', email: 'ann@example.com', metadata: { user_id: 'u-1' }, livemode: false });
    expect(created.id).toMatch(/^cus_\w{24}$/);
    const retrieved = await world.stripe.customers.retrieve(created.id);
    expect(retrieved).toMatchObject({ id: created.id, email: 'ann@example.com' });
  });

  it('answers an unknown customer with 404 resource_missing naming the id', async () => {
    const error = await stripeError(world.stripe.customers.retrieve('cus_nope'));
    expect(error).toBeInstanceOf(world.stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'id', message: "No such customer: 'cus_nope'" });
  });
});

describe('payment methods', () => {
  let world: Emulated;
  beforeAll(async () => (world = await emulated()));
  afterAll(() => world.emulator.close());

  it('attaches a test card to a customer as a payment method of its own, and lists them newest first', async () => {
    const customer = await world.stripe.customers.create({});
    const visa = await world.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    expect(visa).toMatchObject({ object: 'payment_method', type: 'card', customer: customer.id, card: { brand: 'visa', last4: '4242' } });
    expect(visa.id).toMatch(/^pm_\w{24}$/);
    const mastercard = await world.stripe.paymentMethods.attach('pm_card_mastercard', { customer: customer.id });
    const listed = await world.stripe.customers.listPaymentMethods(customer.id, { type: 'card' });
    expect(listed.data.map((pm) => pm.id)).toEqual([mastercard.id, visa.id]);
    expect(listed.has_more).toBe(false);
    const alsoListed = await world.stripe.paymentMethods.list({ customer: customer.id, type: 'card', limit: 1 });
    expect(alsoListed.data.map((pm) => pm.id)).toEqual([mastercard.id]);
    expect(alsoListed.has_more).toBe(true);
    await expect(world.stripe.paymentMethods.retrieve(visa.id)).resolves.toMatchObject({ id: visa.id, customer: customer.id });
  });

  it('keeps a payment method with the customer it was attached to', async () => {
    const ann = await world.stripe.customers.create({});
    const bob = await world.stripe.customers.create({});
    const card = await world.stripe.paymentMethods.attach('pm_card_visa', { customer: ann.id });
    await expect(world.stripe.paymentMethods.attach(card.id, { customer: ann.id })).resolves.toMatchObject({ customer: ann.id });
    const error = await stripeError(world.stripe.paymentMethods.attach(card.id, { customer: bob.id }));
    expect(error).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', code: 'payment_method_unexpected_state' });
    expect((await world.stripe.customers.listPaymentMethods(bob.id)).data).toEqual([]);
  });

  it('answers unknown payment methods and customers with resource_missing', async () => {
    const customer = await world.stripe.customers.create({});
    expect(await stripeError(world.stripe.paymentMethods.attach('pm_card_nonsense', { customer: customer.id }))).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      message: "No such PaymentMethod: 'pm_card_nonsense'",
    });
    expect(await stripeError(world.stripe.paymentMethods.attach('pm_card_visa', { customer: 'cus_nope' }))).toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'customer',
    });
    expect(await stripeError(world.stripe.paymentMethods.retrieve('pm_nope'))).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    expect(await stripeError(world.stripe.customers.listPaymentMethods('cus_nope'))).toMatchObject({ statusCode: 404, param: 'id' });
    expect(await stripeError(world.stripe.paymentMethods.list({ customer: 'cus_nope' }))).toMatchObject({ statusCode: 400, param: 'customer' });
  });
});
