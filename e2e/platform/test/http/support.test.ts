// The support staff's facade over real HTTP on the real services: every route's happy path, each
// checked in its reply and in what it changed (a resent receipt reaches the customer again).
import { expectFacadeBasics } from './facade-basics';
import { ADMIN, type Customer, eventually, SUPPORT, usePlatform } from './harness';
import { addCard, createProject, type Order, payOrder, placeOrder } from './steps';

interface Message {
  id: string;
  kind: string;
  status: string;
  order_id: string | null;
  resent_of: string | null;
}

describe('the support facade', () => {
  const platform = usePlatform();
  let support: string;
  let agentId: string;
  let admin: string;

  beforeAll(async () => {
    const login = await platform.support.post('/login', SUPPORT);
    support = login.body.token;
    agentId = login.body.user.id;
    admin = await platform.admin.login(ADMIN.email, ADMIN.password);
  });

  /** A customer who paid one order and left another unpaid in one project, and ordered in another. */
  async function customerWithHistory(name: string) {
    const customer = await platform.signUp(name);
    const project = await createProject(platform, customer, 'Bakery');
    const paid = await placeOrder(platform, customer, project, 'Flour sacks', 3000);
    const unpaid = await placeOrder(platform, customer, project, 'Oven gloves', 800);
    await payOrder(platform, customer, paid, await addCard(platform, customer));
    const other = await createProject(platform, customer, 'Café');
    const elsewhere = await placeOrder(platform, customer, other, 'Coffee beans', 1200);
    return { customer, project, paid, unpaid, other, elsewhere };
  }

  /** The customer's emails as support sees them, once `done` says they are all there. */
  async function messagesOf(customer: Customer, done: (messages: Message[]) => boolean): Promise<Message[]> {
    return eventually(`the emails to ${customer.email}`, async () => {
      const reply = await platform.support.get(`/customers/${customer.id}/messages`, support);
      expect(reply.status).toBe(200);
      return done(reply.body) ? (reply.body as Message[]) : undefined;
    }, 20_000);
  }

  it('logs support staff in, and admins too, and says who they are', async () => {
    const login = await platform.support.post('/login', SUPPORT);
    expect(login.status).toBe(200);
    expect(login.body).toEqual({
      token: expect.any(String),
      user: { id: agentId, email: SUPPORT.email, name: expect.any(String), role: 'support', created_at: expect.any(String) },
    });
    const me = await platform.support.get('/me', support);
    expect(me.status).toBe(200);
    expect(me.body).toEqual(login.body.user);

    const asAdmin = await platform.support.post('/login', ADMIN);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.user.role).toBe('admin');
    expect((await platform.support.get('/me', asAdmin.body.token)).body.email).toBe(ADMIN.email);
  });

  it('looks a customer up by email, whatever its case', async () => {
    const ann = await platform.signUp('Ann');
    const found = await platform.support.get(`/customers?email=${encodeURIComponent(ann.email.toUpperCase())}`, support);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ id: ann.id, email: ann.email, name: 'Ann', role: 'customer', status: 'active', created_at: expect.any(String) });
  });

  it('shows a customer’s projects, orders and payment states in one response, a refund included', async () => {
    const { customer, project, paid, unpaid, other, elsewhere } = await customerWithHistory('Bea');
    const paymentOf = (overview: any, order: Order) =>
      overview.projects.flatMap((p: { orders: { id: string; payment: unknown }[] }) => p.orders).find((o: { id: string }) => o.id === order.id)
        ?.payment;

    const overview = await platform.support.get(`/customers/${customer.id}/overview`, support);
    expect(overview.status).toBe(200);
    expect(overview.body.customer).toMatchObject({ id: customer.id, email: customer.email, status: 'active' });
    // one call per batch read, however many projects and orders: no call per project or order
    expect([...overview.rpcCalls].sort()).toEqual(
      ['payment.getTransactionsByOrderId', 'project.getOrdersByProjectId', 'project.listProjectsForUser', 'user.getUser'],
    );
    const bakery = overview.body.projects.find((p: { id: string }) => p.id === project.id);
    expect(overview.body.projects.map((p: { id: string }) => p.id).sort()).toEqual([project.id, other.id].sort());
    expect(bakery).toMatchObject({ name: 'Bakery', owner_id: customer.id });
    expect(bakery.orders).toHaveLength(2);
    expect(bakery.orders).toContainEqual(
      expect.objectContaining({ id: paid.id, description: 'Flour sacks', amount: 3000, status: 'paid' }),
    );
    expect(paymentOf(overview.body, paid)).toMatchObject({ state: 'paid', amount: 3000, currency: 'EUR', failure_reason: null });
    expect(paymentOf(overview.body, unpaid)).toMatchObject({ state: 'awaiting_payment', amount: 800 });
    expect(paymentOf(overview.body, elsewhere)).toMatchObject({ state: 'awaiting_payment', amount: 1200 });

    const refund = await platform.admin.post(`/projects/${project.id}/orders/${paid.id}/refund`, { reason: 'shop closed' }, admin);
    expect(refund.status).toBe(200);
    const after = await eventually('the refund to show in the overview', async () => {
      const reply = await platform.support.get(`/customers/${customer.id}/overview`, support);
      const order = reply.body.projects.flatMap((p: { orders: Order[] }) => p.orders).find((o: { id: string }) => o.id === paid.id);
      return order?.status === 'refunded' ? reply.body : undefined;
    });
    expect(paymentOf(after, paid)).toMatchObject({ state: 'refunded', amount: 3000 });
    expect(paymentOf(after, unpaid)).toMatchObject({ state: 'awaiting_payment' });
  });

  it('lists the emails sent to a customer and resends a receipt, which reaches them again', async () => {
    const { customer, paid } = await customerWithHistory('Cy');
    const messages = await messagesOf(customer, (all) =>
      ['welcome', 'order_paid_confirmation'].every((kind) => all.some((m) => m.kind === kind && m.status === 'sent')),
    );
    const receipt = messages.find((m) => m.kind === 'order_paid_confirmation')!;
    expect(receipt).toMatchObject({ order_id: paid.id, resent_of: null, status: 'sent' });
    expect(platform.mailsTo(customer.email, /Payment received/)).toHaveLength(1);

    const resent = await platform.support.request('POST', `/orders/${paid.id}/receipt`, { token: support });
    expect(resent.status).toBe(201);
    expect(resent.body).toMatchObject({
      id: expect.any(String),
      kind: 'order_paid_confirmation',
      recipient_id: customer.id,
      recipient_email: customer.email,
      order_id: paid.id,
      resent_of: receipt.id,
      requested_by: agentId,
      status: 'sent',
    });
    await eventually('the second receipt to arrive', () => (platform.mailsTo(customer.email, /Payment received/).length === 2 ? true : undefined));
    expect(platform.mailsTo(customer.email, /Payment received/)[1]!.raw).toContain('Flour sacks');
    const listed = await messagesOf(customer, (all) => all.some((m) => m.id === resent.body.id));
    expect(listed.filter((m) => m.kind === 'order_paid_confirmation')).toHaveLength(2);

    // An empty JSON object is no body too: the receipt goes out once more.
    const again = await platform.support.post(`/orders/${paid.id}/receipt`, {}, support);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ order_id: paid.id, requested_by: agentId, status: 'sent' });
    await eventually('the third receipt to arrive', () => (platform.mailsTo(customer.email, /Payment received/).length === 3 ? true : undefined));
  });

  it('is alive and ready, sends security headers, and documents exactly the routes tested here', async () => {
    await expectFacadeBasics(platform.support, 'e2e-support-1', [
      'POST /login',
      'GET /me',
      'GET /customers',
      'GET /customers/{userId}/overview',
      'GET /customers/{userId}/messages',
      'POST /orders/{orderId}/receipt',
    ]);
  });
});
