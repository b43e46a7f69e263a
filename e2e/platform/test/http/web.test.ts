// The customers' facade over real HTTP on the real services: every route's happy path, each
// checked in its reply and in what it left behind (rows, emails, charges at Stripe).
import { expectFacadeBasics } from './facade-basics';
import { eventually, PASSWORD, uniqueEmail, usePlatform } from './harness';
import { addCard, createProject, placeOrder } from './steps';

describe('the web facade', () => {
  const platform = usePlatform();

  it('registers a customer, who gets a welcome email, logs in and reads who they are', async () => {
    const { web } = platform;
    const email = uniqueEmail('Ann');

    const registered = await web.post('/register', { email, name: 'Ann', password: PASSWORD });
    expect(registered.status).toBe(201);
    expect(registered.body).toEqual({ id: expect.any(String), email, name: 'Ann', role: 'customer', created_at: expect.any(String) });
    expect(registered.rpcCalls).toEqual(['user.registerUser']);
    const [row] = await platform.db('user')('users').where({ email });
    expect(row).toMatchObject({ id: registered.body.id, role: 'customer', status: 'active' });
    expect(row.password_hash).not.toContain(PASSWORD);
    expect((await platform.mailTo(email, /Welcome to the platform, Ann/)).raw).toContain('Ann');

    const login = await web.post('/login', { email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ token: expect.any(String), user: registered.body });

    const me = await web.get('/me', login.body.token);
    expect(me.status).toBe(200);
    expect(me.body).toEqual(registered.body);
  });

  it('keeps a customer’s projects: create, list, open, and add a member by email, who is told', async () => {
    const { web } = platform;
    const ann = await platform.signUp('Ann');
    const bob = await platform.signUp('Bob');

    const created = await web.post('/projects', { name: 'Community garden', description: 'Beds by the river' }, ann.token);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'Community garden',
      description: 'Beds by the river',
      owner_id: ann.id,
      created_at: expect.any(String),
      members: [{ user_id: ann.id, role: 'owner', added_at: expect.any(String) }],
    });
    const projectId = created.body.id as string;

    const listed = await web.get('/projects', ann.token);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([{ id: projectId, name: 'Community garden', description: 'Beds by the river', owner_id: ann.id, created_at: created.body.created_at }]);

    const opened = await web.get(`/projects/${projectId}`, ann.token);
    expect(opened.status).toBe(200);
    expect(opened.body).toEqual(created.body);

    const added = await web.post(`/projects/${projectId}/members`, { email: bob.email.toUpperCase() }, ann.token);
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ user_id: bob.id, role: 'member', added_at: expect.any(String) });
    expect(added.rpcCalls).toEqual(['project.getProject', 'user.findUsers', 'project.addMember']);

    // Bob now sees the project, with both members, and was emailed about it
    expect((await web.get('/projects', bob.token)).body.map((p: { id: string }) => p.id)).toEqual([projectId]);
    const seenByBob = await web.get(`/projects/${projectId}`, bob.token);
    expect(seenByBob.status).toBe(200);
    expect(seenByBob.body.members.map((m: { user_id: string }) => m.user_id).sort()).toEqual([ann.id, bob.id].sort());
    expect((await platform.mailTo(bob.email, /Community garden/)).raw).toContain('Ann');
  });

  it('places an order, lists it, saves a card and pays the order once: charged, marked paid, receipt emailed', async () => {
    const { web, stripe } = platform;
    const ann = await platform.signUp('Ann');
    const projectId = (await web.post('/projects', { name: 'Kitchen' }, ann.token)).body.id as string;

    const placed = await web.post(`/projects/${projectId}/orders`, { description: 'Twelve tiles', amount: 1500, currency: 'EUR' }, ann.token);
    expect(placed.status).toBe(201);
    expect(placed.body).toEqual({
      id: expect.any(String),
      project_id: projectId,
      description: 'Twelve tiles',
      amount: 1500,
      currency: 'EUR',
      status: 'awaiting_payment',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const orderId = placed.body.id as string;

    const orders = await web.get(`/projects/${projectId}/orders`, ann.token);
    expect(orders.status).toBe(200);
    expect(orders.body).toEqual([placed.body]);

    const none = await web.get('/payment-methods', ann.token);
    expect(none.status).toBe(200);
    expect(none.body).toEqual([]);
    const card = await web.post('/payment-methods', { token: 'pm_card_visa' }, ann.token);
    expect(card.status).toBe(201);
    expect(card.body).toEqual({ id: expect.stringMatching(/^pm_/), brand: 'visa', last4: '4242', exp_month: expect.any(Number), exp_year: expect.any(Number) });
    expect((await web.get('/payment-methods', ann.token)).body).toEqual([card.body]);

    // payment opens the order's transaction when project's order_placed reaches it
    await eventually('the order’s transaction to open', async () => (await platform.db('payment')('transactions').where({ order_id: orderId }))[0]);
    const chargesBefore = stripe.charges().length;
    const paid = await web.post(`/projects/${projectId}/orders/${orderId}/payment`, { payment_method_id: card.body.id }, ann.token);
    expect(paid.status).toBe(200);
    expect(paid.body).toEqual({
      order_id: orderId,
      amount: 1500,
      currency: 'EUR',
      state: 'paid',
      payment_intent_id: expect.stringMatching(/^pi_/),
      failure_reason: null,
      client_secret: null,
      next_action: null,
    });
    expect(stripe.charges().slice(chargesBefore)).toEqual([expect.objectContaining({ amount: 1500, currency: 'eur', payment_method: card.body.id })]);

    // the same payment again is answered as it stands, charging nothing
    const again = await web.post(`/projects/${projectId}/orders/${orderId}/payment`, { payment_method_id: card.body.id }, ann.token);
    expect(again.status).toBe(200);
    expect(again.body.state).toBe('paid');
    expect(stripe.charges()).toHaveLength(chargesBefore + 1);

    await eventually('the order to be marked paid', async () => {
      const [order] = (await web.get(`/projects/${projectId}/orders`, ann.token)).body as { status: string }[];
      return order?.status === 'paid' ? order : undefined;
    });
    const receipt = await platform.mailTo(ann.email, /Payment received/);
    expect(receipt.raw).toContain('Twelve tiles');
    expect(receipt.raw).toContain('Kitchen');
    expect(receipt.raw).toMatch(/15\.00/);
  });

  it('cancels an order awaiting payment, which can then not be paid: 409, nothing charged', async () => {
    const { web, stripe } = platform;
    const ann = await platform.signUp('Ann');
    const project = await createProject(platform, ann, 'Bathroom');
    const order = await placeOrder(platform, ann, project, 'Grout');
    const card = await addCard(platform, ann);
    const stranger = await platform.signUp('Sam');

    const theirs = await web.post(`/projects/${project.id}/orders/${order.id}/cancel`, undefined, stranger.token);
    expect(theirs.status).toBe(404);
    const cancelled = await web.post(`/projects/${project.id}/orders/${order.id}/cancel`, undefined, ann.token);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: order.id, status: 'cancelled' });
    expect((await web.post(`/projects/${project.id}/orders/${order.id}/cancel`, undefined, ann.token)).status).toBe(409);

    await eventually('the order’s transaction to close', async () => (await platform.db('payment')('transactions').where({ order_id: order.id, state: 'cancelled' }))[0]);
    const paying = await web.post(`/projects/${project.id}/orders/${order.id}/payment`, { payment_method_id: card.id }, ann.token);
    expect(paying.status).toBe(409);
    expect(paying.body).toEqual({ error: 'CONFLICT', message: `order ${order.id} was cancelled: it cannot be paid`, details: [{ field: 'orderId', message: 'the order was cancelled' }] });
    expect(stripe.charges().filter((charge) => charge.metadata.order_id === order.id)).toEqual([]);
  });

  it('is alive and ready, sends security headers, and documents exactly the routes tested here', async () => {
    await expectFacadeBasics(platform.web, 'e2e-web-1', [
      // 3-D Secure's confirm and abandon: three-d-secure.test.ts
      'POST /projects/{projectId}/orders/{orderId}/payment/confirm',
      'POST /projects/{projectId}/orders/{orderId}/payment/abandon',
      'POST /register',
      'POST /login',
      'GET /me',
      'POST /projects',
      'GET /projects',
      'GET /projects/{projectId}',
      'POST /projects/{projectId}/members',
      'POST /projects/{projectId}/orders',
      'GET /projects/{projectId}/orders',
      'GET /payment-methods',
      'POST /payment-methods',
      'POST /projects/{projectId}/orders/{orderId}/payment',
      'POST /projects/{projectId}/orders/{orderId}/cancel',
    ]);
  });
});
