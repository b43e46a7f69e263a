// The admins' facade over real HTTP on the real services: every route's happy path, each checked
// in its reply and in what it changed (who may log in, rows, charges and refunds at Stripe, emails).
import { expectFacadeBasics } from './facade-basics';
import { ADMIN, type Customer, eventually, PASSWORD, usePlatform } from './harness';
import { addCard, createProject, placeOrder } from './steps';

describe('the admin facade', () => {
  // More customers sign up here in a minute than the login limit lets one address: it is not under test.
  const platform = usePlatform({ rateLimits: { login: false } });
  let admin: string;

  beforeAll(async () => {
    admin = await platform.admin.login(ADMIN.email, ADMIN.password);
  });

  /** A customer with a project, an order on it that can be paid, and a saved card. */
  async function customerWithAnOrder(name: string) {
    const customer = await platform.signUp(name);
    const project = await createProject(platform, customer, `${name}'s workshop`);
    const order = await placeOrder(platform, customer, project, 'Oak planks', 4200);
    const card = await addCard(platform, customer);
    return { customer, project, order, card };
  }

  it('logs an admin in and finds users by email', async () => {
    const login = await platform.admin.post('/login', ADMIN);
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ email: ADMIN.email, role: 'admin', status: 'active' });

    const ann = await platform.signUp('Ann');
    const found = await platform.admin.get(`/users?q=${encodeURIComponent(ann.email)}`, admin);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      items: [{ id: ann.id, email: ann.email, name: 'Ann', role: 'customer', status: 'active', created_at: expect.any(String) }],
      total: 1,
      page: 1,
      page_size: 20,
    });
    const everyone = await platform.admin.get('/users?page=1&page_size=100', admin);
    expect(everyone.body.items.map((u: { email: string }) => u.email)).toEqual(expect.arrayContaining([ADMIN.email, ann.email]));
  });

  it('suspends a customer, who can no longer log in, and reactivates them', async () => {
    const { web } = platform;
    const carol = await platform.signUp('Carol');

    const suspended = await platform.admin.post(`/users/${carol.id}/suspend`, { reason: 'chargeback under review' }, admin);
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ id: carol.id, status: 'suspended' });
    const [change] = await platform.db('user')('user_status_changes').where({ user_id: carol.id, change: 'suspended' });
    expect(change).toMatchObject({ reason: 'chargeback under review' });

    const refused = await web.post('/login', { email: carol.email, password: PASSWORD });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ error: 'FORBIDDEN', message: 'this account is suspended', details: [] });

    const reactivated = await platform.admin.post(`/users/${carol.id}/reactivate`, { reason: 'resolved' }, admin);
    expect(reactivated.status).toBe(200);
    expect(reactivated.body).toMatchObject({ id: carol.id, status: 'active' });
    expect((await web.post('/login', { email: carol.email, password: PASSWORD })).status).toBe(200);
  });

  it('refuses a suspended customer’s token within a second of the suspension, and lets it in again once reactivated', async () => {
    const erin = await platform.signUp('Erin');
    expect((await platform.web.get('/me', erin.token)).status).toBe(200); // the standing is cached now
    const statusWithinASecond = async (expected: number): Promise<number> => {
      const deadline = Date.now() + 1_000;
      let status = 0;
      while (Date.now() < deadline && status !== expected) status = (await platform.web.get('/me', erin.token)).status;
      return status;
    };
    expect((await platform.admin.post(`/users/${erin.id}/suspend`, { reason: 'chargeback under review' }, admin)).status).toBe(200);
    expect(await statusWithinASecond(403)).toBe(403);
    expect((await platform.admin.post(`/users/${erin.id}/reactivate`, { reason: 'resolved' }, admin)).status).toBe(200);
    expect(await statusWithinASecond(200)).toBe(200);
  });

  it('changes a user’s role: the new support agent logs into support, no longer into web', async () => {
    const dan: Customer = await platform.signUp('Dan');
    const changed = await platform.admin.put(`/users/${dan.id}/role`, { role: 'support' }, admin);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: dan.id, role: 'support', status: 'active' });

    expect((await platform.support.post('/login', { email: dan.email, password: PASSWORD })).status).toBe(200);
    const web = await platform.web.post('/login', { email: dan.email, password: PASSWORD });
    expect(web.status).toBe(403);
    expect(web.body.error).toBe('FORBIDDEN');
  });

  it('lists every project with its member count, and a project’s orders', async () => {
    const { customer, project, order } = await customerWithAnOrder('Eve');
    const projects = await platform.admin.get('/projects?page=1&page_size=100', admin);
    expect(projects.status).toBe(200);
    expect(projects.body).toMatchObject({ page: 1, page_size: 100, total: expect.any(Number) });
    expect(projects.body.items).toContainEqual({
      id: project.id,
      name: "Eve's workshop",
      description: null,
      owner_id: customer.id,
      member_count: 1,
      created_at: expect.any(String),
    });

    const orders = await platform.admin.get(`/projects/${project.id}/orders`, admin);
    expect(orders.status).toBe(200);
    expect(orders.body).toEqual([
      {
        id: order.id,
        project_id: project.id,
        description: 'Oak planks',
        amount: 4200,
        currency: 'EUR',
        status: 'awaiting_payment',
        placed_by: customer.id,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      },
    ]);
  });

  it('confirms an order’s payment as the seeds do, then refunds it with a reason the customer is told', async () => {
    const { stripe } = platform;
    const { customer, project, order, card } = await customerWithAnOrder('Frank');
    const chargesBefore = stripe.charges().length;

    const confirmed = await platform.admin.post(`/projects/${project.id}/orders/${order.id}`, { payment_method_id: card.id, paid_by: customer.id }, admin);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      order_id: order.id,
      project_id: project.id,
      amount: 4200,
      currency: 'EUR',
      state: 'paid',
      attempt: 1,
      payment_method_id: card.id,
      paid_by: customer.id,
      failure_reason: null,
    });
    expect(stripe.charges().slice(chargesBefore)).toEqual([expect.objectContaining({ amount: 4200, payment_method: card.id })]);
    await eventually('the order to be marked paid', async () => {
      const [current] = (await platform.admin.get(`/projects/${project.id}/orders`, admin)).body as { status: string }[];
      return current?.status === 'paid' ? current : undefined;
    });
    await platform.mailTo(customer.email, /Payment received/);

    const refunded = await platform.admin.post(`/projects/${project.id}/orders/${order.id}/refund`, { reason: 'damaged in transit' }, admin);
    expect(refunded.status).toBe(200);
    expect(refunded.body).toMatchObject({ order_id: order.id, state: 'refunded', amount: 4200 });
    expect(stripe.refunds().filter((r) => r.payment_intent === confirmed.body.payment_intent_id)).toEqual([
      expect.objectContaining({ amount: 4200, status: 'succeeded' }),
    ]);
    const [refund] = await platform.db('payment')('refunds').where({ transaction_id: confirmed.body.id });
    expect({ amount: Number(refund.amount), reason: refund.reason }).toEqual({ amount: 4200, reason: 'damaged in transit' });
    await eventually('the order to be marked refunded', async () => {
      const [current] = (await platform.admin.get(`/projects/${project.id}/orders`, admin)).body as { status: string }[];
      return current?.status === 'refunded' ? current : undefined;
    });
    expect((await platform.mailTo(customer.email, /Refund of/)).raw).toContain('damaged in transit');
  });

  it('cancels a customer’s unpaid order with a reason, closing its transaction; a paid one is refunded, then cancelled, and the customer told', async () => {
    const { customer, project, order, card } = await customerWithAnOrder('Gina');
    const cancelled = await platform.admin.post(`/projects/${project.id}/orders/${order.id}/cancel`, { reason: 'ordered twice' }, admin);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: order.id, status: 'cancelled' });
    const [change] = await platform.db('project')('order_status_changes').where({ order_id: order.id, status: 'cancelled' });
    expect(change).toMatchObject({ reason: 'ordered twice' });
    await eventually('the order’s transaction to close', async () => (await platform.db('payment')('transactions').where({ order_id: order.id, state: 'cancelled' }))[0]);
    const late = await platform.web.post(`/projects/${project.id}/orders/${order.id}/payment`, { payment_method_id: card.id }, customer.token);
    expect(late.status).toBe(409);
    expect(platform.stripe.charges().filter((charge) => charge.metadata.order_id === order.id)).toEqual([]);

    const other = await placeOrder(platform, customer, project, 'Walnut', 900);
    const paid = await platform.admin.post(`/projects/${project.id}/orders/${other.id}`, { payment_method_id: card.id, paid_by: customer.id }, admin);
    await eventually('the other order to be marked paid', async () => (await platform.db('project')('orders').where({ id: other.id, status: 'paid' }))[0]);
    const missing = await platform.admin.post(`/projects/${project.id}/orders/${other.id}/cancel`, {}, admin);
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual([expect.objectContaining({ field: 'reason' })]);

    const cancelling = await platform.admin.post(`/projects/${project.id}/orders/${other.id}/cancel`, { reason: 'the walnut was split' }, admin);
    expect(cancelling.status).toBe(202);
    expect(cancelling.body).toMatchObject({ id: other.id, status: 'cancelling' });
    await eventually('the paid order to be cancelled', async () => (await platform.db('project')('orders').where({ id: other.id, status: 'cancelled' }))[0], 20_000);
    expect(platform.stripe.refunds().filter((r) => r.payment_intent === paid.body.payment_intent_id)).toEqual([expect.objectContaining({ amount: 900 })]);
    await expect(platform.db('payment')('transactions').where({ order_id: other.id }).first()).resolves.toMatchObject({ state: 'refunded' });
    expect((await platform.mailTo(customer.email, /Refund of/)).raw).toContain('the walnut was split');
    const again = await platform.admin.post(`/projects/${project.id}/orders/${other.id}/cancel`, { reason: 'again' }, admin);
    expect(again.status).toBe(409);
  });

  it('answers 404 for an order that is not in the project named, charging and refunding nothing (the seeds’ NotFound)', async () => {
    const { stripe } = platform;
    const { customer, order, card } = await customerWithAnOrder('Gus');
    const other = await createProject(platform, customer, 'Elsewhere');
    const before = { charges: stripe.charges().length, refunds: stripe.refunds().length };

    const confirm = await platform.admin.post(`/projects/${other.id}/orders/${order.id}`, { payment_method_id: card.id, paid_by: customer.id }, admin);
    expect(confirm.status).toBe(404);
    expect(confirm.body).toEqual({ error: 'NOT_FOUND', message: expect.stringContaining(order.id), details: [] });
    expect(confirm.rpcCalls).toEqual(['project.getOrdersById']);
    const refund = await platform.admin.post(`/projects/${other.id}/orders/${order.id}/refund`, { reason: 'test' }, admin);
    expect(refund.status).toBe(404);
    expect({ charges: stripe.charges().length, refunds: stripe.refunds().length }).toEqual(before);
  });

  it('is alive and ready, sends security headers, and documents exactly the routes tested here', async () => {
    await expectFacadeBasics(platform.admin, 'e2e-admin-1', [
      'POST /login',
      'GET /users',
      'POST /users/{userId}/suspend',
      'POST /users/{userId}/reactivate',
      'PUT /users/{userId}/role',
      'GET /projects',
      'GET /projects/{projectId}/orders',
      'POST /projects/{projectId}/orders/{orderId}',
      'POST /projects/{projectId}/orders/{orderId}/refund',
      'POST /projects/{projectId}/orders/{orderId}/cancel',
    ]);
  });
});
