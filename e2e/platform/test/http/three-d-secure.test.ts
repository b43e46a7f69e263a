// A card that needs 3-D Secure, paid through the web facade over real HTTP on the real services
// and the Stripe emulator: the pay route answers requires_action with what Stripe.js needs, the
// customer authenticates (the emulator stands for it) and confirms; or abandons it for another card.
import { usePlatform } from './harness';
import { addCard, createProject, placeOrder } from './steps';

describe('paying with 3-D Secure through the web facade', () => {
  const platform = usePlatform();

  it('goes requires_action → confirm → paid, charged once, and the order marked paid', async () => {
    const { web, stripe } = platform;
    const ann = await platform.signUp('Ann');
    const project = await createProject(platform, ann, 'Attic');
    const order = await placeOrder(platform, ann, project, 'Insulation');
    const card = await addCard(platform, ann, 'pm_card_authenticationRequired');
    const path = `/projects/${project.id}/orders/${order.id}/payment`;
    const chargesBefore = stripe.charges().length;

    const pending = await web.post(path, { payment_method_id: card.id }, ann.token);
    expect(pending.status).toBe(200);
    expect(pending.body).toEqual({
      order_id: order.id,
      amount: 1500,
      currency: 'EUR',
      state: 'requires_action',
      payment_intent_id: expect.stringMatching(/^pi_/),
      failure_reason: null,
      client_secret: expect.stringMatching(/^pi_\w+_secret_/),
      next_action: { type: 'use_stripe_sdk' },
    });
    expect(stripe.charges()).toHaveLength(chargesBefore);

    // Another customer cannot confirm it through Ann's order: it is not theirs to see.
    const sam = await platform.signUp('Sam');
    const theirs = await web.post(`${path}/confirm`, { payment_intent_id: pending.body.payment_intent_id }, sam.token);
    expect(theirs.status).toBe(404);

    const confirmed = await web.post(`${path}/confirm`, { payment_intent_id: pending.body.payment_intent_id }, ann.token);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ order_id: order.id, state: 'paid', payment_intent_id: pending.body.payment_intent_id, client_secret: null, next_action: null });
    expect(confirmed.rpcCalls).toEqual(['project.getOrder', 'payment.confirmPaymentIntent']);
    expect(stripe.charges().slice(chargesBefore)).toEqual([expect.objectContaining({ amount: 1500, payment_intent: pending.body.payment_intent_id })]);

    const again = await web.post(`${path}/confirm`, { payment_intent_id: pending.body.payment_intent_id }, ann.token);
    expect(again.status).toBe(200);
    expect(stripe.charges()).toHaveLength(chargesBefore + 1);
    await platform.mailTo(ann.email, /Payment received/);
    const [row] = await platform.db('project')('orders').where({ id: order.id });
    expect(row.status).toBe('paid');
  });

  it('lets an abandoned authentication be replaced by another card, charged once', async () => {
    const { web, stripe } = platform;
    const bea = await platform.signUp('Bea');
    const project = await createProject(platform, bea, 'Porch');
    const order = await placeOrder(platform, bea, project, 'Paint');
    const secure = await addCard(platform, bea, 'pm_card_authenticationRequired');
    const visa = await addCard(platform, bea, 'pm_card_visa');
    const path = `/projects/${project.id}/orders/${order.id}/payment`;
    const chargesBefore = stripe.charges().length;

    expect((await web.post(path, { payment_method_id: secure.id }, bea.token)).body.state).toBe('requires_action');
    const refused = await web.post(path, { payment_method_id: visa.id }, bea.token);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/PAYMENT_AUTHENTICATION_TIMEOUT/);

    const abandoned = await web.post(`${path}/abandon`, undefined, bea.token);
    expect(abandoned.status).toBe(200);
    expect(abandoned.body).toMatchObject({ state: 'failed', failure_reason: 'authentication_abandoned' });
    const paid = await web.post(path, { payment_method_id: visa.id }, bea.token);
    expect(paid.status).toBe(200);
    expect(paid.body.state).toBe('paid');
    expect(stripe.charges().slice(chargesBefore)).toEqual([expect.objectContaining({ payment_method: visa.id })]);

    const nothingLeft = await web.post(`${path}/abandon`, undefined, bea.token);
    expect(nothingLeft.status).toBe(409);
  });
});
