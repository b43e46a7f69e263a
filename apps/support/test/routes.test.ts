import { TransactionNotFound } from '../src/remote-errors';
import { PAYMENT_LOOKUPS_IN_FLIGHT } from '../src/routes/customers';
import { aMessage, anOrder, aProject, aTransaction, aUser, FakeRpc, NOW } from './fake-rpc';
import { bearer, supportApp } from './helpers';

describe('the support routes', () => {
  test('look a customer up by email, matching it exactly', async () => {
    const rpc = new FakeRpc().answer('user.findUsers', () => ({
      items: [aUser({ id: 'u3', email: 'joann@example.com' }), aUser({ id: 'u1', email: 'Ann@example.com', password_hash: 'x' })],
      total: 2,
    }));
    const { app } = await supportApp(rpc);
    const res = await app.inject({ method: 'GET', url: '/customers?email=ann%40example.com', headers: bearer() });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 'u1', email: 'Ann@example.com', name: 'Ann', role: 'customer', status: 'active', created_at: NOW });
    expect(rpc.called('user.findUsers')[0]!.args).toEqual(['ann@example.com', 1, 100]);
  });

  test('an email that only partly matches is 404 naming the email', async () => {
    const rpc = new FakeRpc().answer('user.findUsers', () => ({ items: [aUser({ email: 'joann@example.com' })], total: 1 }));
    const { app } = await supportApp(rpc);
    const res = await app.inject({ method: 'GET', url: '/customers?email=ann%40example.com', headers: bearer() });
    expect(res.statusCode).toBe(404);
    expect(res.json().details).toEqual([{ field: 'email', message: 'not registered' }]);
  });

  test('the overview: projects, orders and payment states in one response, with no per-order project calls', async () => {
    const rpc = new FakeRpc()
      .answer('user.getUser', () => aUser())
      .answer('project.listProjectsForUser', () => [aProject({ id: 'p1' }), aProject({ id: 'p2', name: 'Bathroom' })])
      .answer('project.listOrdersForProject', (projectId: string) =>
        projectId === 'p1'
          ? [anOrder({ id: 'o1' }), anOrder({ id: 'o2', status: 'awaiting_payment' })]
          : [anOrder({ id: 'o3', project_id: 'p2', status: 'awaiting_payment' })],
      )
      .answer('payment.getTransactionByOrder', (orderId: string) => {
        if (orderId === 'o3') throw new TransactionNotFound(`no transaction for ${orderId}`);
        return aTransaction({ order_id: orderId, ...(orderId === 'o2' ? { state: 'failed', failure_reason: 'insufficient_funds' } : {}) });
      });
    const { app } = await supportApp(rpc);
    const res = await app.inject({ method: 'GET', url: '/customers/u1/overview', headers: bearer() });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.customer).toMatchObject({ id: 'u1', email: 'ann@example.com' });
    expect(body.projects.map((p: { id: string }) => p.id)).toEqual(['p1', 'p2']);
    expect(body.projects[0].orders[0]).toEqual({
      id: 'o1',
      project_id: 'p1',
      description: 'Tiles',
      amount: 1500,
      currency: 'EUR',
      status: 'paid',
      created_at: NOW,
      updated_at: NOW,
      payment: { state: 'paid', amount: 1500, currency: 'EUR', attempt: 1, failure_reason: null, updated_at: NOW },
    });
    expect(body.projects[0].orders[1].payment).toMatchObject({ state: 'failed', failure_reason: 'insufficient_funds' });
    expect(body.projects[1].orders[0].payment).toBeNull();
    expect(res.body).not.toMatch(/placed_by|payment_method_id|pi_1/);

    // 1 customer + 1 projects + 1 per project (no batch by project) + 1 per order (no batch by order
    // in payment: see the README); nothing per order from the project service.
    const targets = rpc.calls.map((c) => `${c.service}.${c.method}`);
    expect(targets).toHaveLength(1 + 1 + 2 + 3);
    expect(rpc.called('user.getUser')).toHaveLength(1);
    expect(rpc.called('project.listProjectsForUser')).toHaveLength(1);
    expect(rpc.called('project.listOrdersForProject').map((c) => c.args)).toEqual([['p1'], ['p2']]);
    expect(rpc.called('payment.getTransactionByOrder').map((c) => c.args)).toEqual([['o1'], ['o2'], ['o3']]);
    expect(targets.filter((t) => t.startsWith('project.') && !['project.listProjectsForUser', 'project.listOrdersForProject'].includes(t))).toEqual([]);
  });

  test('the overview of a customer with no projects makes two calls', async () => {
    const rpc = new FakeRpc().answer('user.getUser', () => aUser()).answer('project.listProjectsForUser', () => []);
    const { app } = await supportApp(rpc);
    const res = await app.inject({ method: 'GET', url: '/customers/u1/overview', headers: bearer() });
    expect(res.statusCode).toBe(200);
    expect(res.json().projects).toEqual([]);
    expect(rpc.calls).toHaveLength(2);
  });

  test('the payment lookups run in parallel, never more than the cap at once', async () => {
    let inFlight = 0;
    let most = 0;
    const orders = Array.from({ length: 30 }, (_, i) => anOrder({ id: `o${i}` }));
    const rpc = new FakeRpc()
      .answer('user.getUser', () => aUser())
      .answer('project.listProjectsForUser', () => [aProject()])
      .answer('project.listOrdersForProject', () => orders)
      .answer('payment.getTransactionByOrder', async (orderId: string) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        return aTransaction({ order_id: orderId });
      });
    const { app } = await supportApp(rpc);
    const res = await app.inject({ method: 'GET', url: '/customers/u1/overview', headers: bearer() });
    expect(res.statusCode).toBe(200);
    expect(res.json().projects[0].orders.map((o: { id: string }) => o.id)).toEqual(orders.map((o) => o.id));
    expect(most).toBe(PAYMENT_LOOKUPS_IN_FLIGHT);
    expect(rpc.called('payment.getTransactionByOrder')).toHaveLength(30);
  });

  test('the emails sent to a customer', async () => {
    const rpc = new FakeRpc().answer('messaging.listMessagesForUser', () => [aMessage(), aMessage({ id: 'm0', kind: 'welcome', order_id: null, project_id: null })]);
    const { app } = await supportApp(rpc);
    const res = await app.inject({ method: 'GET', url: '/customers/u1/messages', headers: bearer() });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toHaveLength(2);
    expect(res.json()[0]).not.toHaveProperty('smtp_message_id');
    expect(rpc.called('messaging.listMessagesForUser')[0]!.args).toEqual(['u1']);
  });

  test('resend a receipt, recorded as asked by the token’s user', async () => {
    const rpc = new FakeRpc().answer('messaging.resendOrderReceipt', () => aMessage({ id: 'm2', resent_of: 'm1', requested_by: 's1' }));
    const { app } = await supportApp(rpc);
    const res = await app.inject({ method: 'POST', url: '/orders/o1/receipt', headers: { ...bearer(), 'x-request-id': 'req-7' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ id: 'm2', resent_of: 'm1', requested_by: 's1' });
    expect(rpc.calls).toHaveLength(1);
    expect(rpc.calls[0]).toMatchObject({
      args: ['o1', 's1'],
      options: { callId: 'support.http.req-7', contextData: { user_id: 's1' } },
    });
  });
});
