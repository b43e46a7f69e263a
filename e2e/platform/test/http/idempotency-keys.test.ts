// Retrying is safe: a client that did not hear the answer sends the same request with the same
// Idempotency-Key and gets the first answer, with one order, one card and one charge behind it.
import { randomUUID } from 'node:crypto';
import { eventually, usePlatform } from './harness';

describe('requests retried with an Idempotency-Key', () => {
  const platform = usePlatform();
  const keyed = (key: string, token: string) => ({ token, headers: { 'idempotency-key': key } });

  it('place one order however often the same request is sent, at once or later, answering alike', async () => {
    const { web } = platform;
    const ann = await platform.signUp('Ann');
    const projectId = (await web.post('/projects', { name: 'Kitchen' }, ann.token)).body.id as string;
    const order = { description: 'Tiles', amount: 1500, currency: 'EUR' };
    const key = randomUUID();
    const send = () => web.request('POST', `/projects/${projectId}/orders`, { ...keyed(key, ann.token), json: order });

    const [first, second] = await Promise.all([send(), send()]);
    const third = await send();
    for (const reply of [first, second, third]) expect({ status: reply.status, body: reply.body }).toEqual({ status: 201, body: first.body });
    expect(await platform.db('project')('orders').where({ project_id: projectId })).toHaveLength(1);

    const another = await web.request('POST', `/projects/${projectId}/orders`, { ...keyed(randomUUID(), ann.token), json: order });
    expect(another.status).toBe(201);
    expect(another.body.id).not.toBe(first.body.id);
  });

  it('refuse a key sent again with another request, 422 naming it, and place nothing', async () => {
    const { web } = platform;
    const ann = await platform.signUp('Ann');
    const projectId = (await web.post('/projects', { name: 'Kitchen' }, ann.token)).body.id as string;
    const key = randomUUID();
    await web.request('POST', `/projects/${projectId}/orders`, { ...keyed(key, ann.token), json: { description: 'Tiles', amount: 1500, currency: 'EUR' } });
    const refused = await web.request('POST', `/projects/${projectId}/orders`, { ...keyed(key, ann.token), json: { description: 'Paint', amount: 900, currency: 'EUR' } });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: 'IDEMPOTENCY_KEY_REUSED', details: [{ field: 'Idempotency-Key' }] });
    expect((await platform.db('project')('orders').where({ project_id: projectId })).map((o: { description: string }) => o.description)).toEqual(['Tiles']);
  });

  it('keep one customer’s key apart from another’s', async () => {
    const { web } = platform;
    const [ann, bob] = [await platform.signUp('Ann'), await platform.signUp('Bob')];
    const key = randomUUID();
    const mine = await web.request('POST', '/projects', { ...keyed(key, ann.token), json: { name: 'Same name' } });
    const theirs = await web.request('POST', '/projects', { ...keyed(key, bob.token), json: { name: 'Same name' } });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.owner_id).toBe(bob.id);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('charge once for a payment retried with its key, answering as the first time', async () => {
    const { web, stripe } = platform;
    const ann = await platform.signUp('Ann');
    const projectId = (await web.post('/projects', { name: 'Kitchen' }, ann.token)).body.id as string;
    const orderId = (await web.post(`/projects/${projectId}/orders`, { description: 'Tiles', amount: 1500, currency: 'EUR' }, ann.token)).body.id as string;
    const cardKey = randomUUID();
    const cards = await Promise.all([0, 1].map(() => web.request('POST', '/payment-methods', { ...keyed(cardKey, ann.token), json: { token: 'pm_card_visa' } })));
    expect(cards.map((c) => c.status)).toEqual([201, 201]);
    expect(cards[1]!.body).toEqual(cards[0]!.body);
    expect((await web.get('/payment-methods', ann.token)).body).toHaveLength(1);
    await eventually('the order’s transaction to open', async () => (await platform.db('payment')('transactions').where({ order_id: orderId }))[0]);

    const chargesBefore = stripe.charges().length;
    const payKey = randomUUID();
    const pay = () => web.request('POST', `/projects/${projectId}/orders/${orderId}/payment`, { ...keyed(payKey, ann.token), json: { payment_method_id: cards[0]!.body.id } });
    const first = await pay();
    const again = await pay();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ order_id: orderId, state: 'paid' });
    expect({ status: again.status, body: again.body }).toEqual({ status: 200, body: first.body });
    expect(stripe.charges()).toHaveLength(chargesBefore + 1);
  });
});
