import { RpcTimeout } from '@platform/shimeji';
import { BATCH_LIMIT } from '../src/batches';
import { aMessage, anOrder, aProject, aTransaction, aUser, FakeRpc, NOW, O1, O2, O3, P1, P2, S1, U1, U3 } from './fake-rpc';
import { bearer, supportApp } from './helpers';

describe('the support routes', () => {
  test('look a customer up by email, matching it exactly', async () => {
    const rpc = new FakeRpc().answer('user.findUsers', () => ({
      items: [aUser({ id: U3, email: 'joann@example.com' }), aUser({ id: U1, email: 'Ann@example.com', password_hash: 'x' })],
      total: 2,
    }));
    const { app } = await supportApp(rpc);
    const res = await app.inject({ method: 'GET', url: '/customers?email=ann%40example.com', headers: bearer() });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: U1, email: 'Ann@example.com', name: 'Ann', role: 'customer', status: 'active', created_at: NOW });
    expect(rpc.called('user.findUsers')[0]!.args).toEqual(['ann@example.com', 1, 100]);
  });

  test('an email that only partly matches is 404 naming the email', async () => {
    const rpc = new FakeRpc().answer('user.findUsers', () => ({ items: [aUser({ email: 'joann@example.com' })], total: 1 }));
    const { app } = await supportApp(rpc);
    const res = await app.inject({ method: 'GET', url: '/customers?email=ann%40example.com', headers: bearer() });
    expect(res.statusCode).toBe(404);
    expect(res.json().details).toEqual([{ field: 'email', message: 'not registered' }]);
  });

  describe('the overview', () => {
    /** A customer with `projects` projects of `ordersEach` orders each, and every order's payment as `payment` says. */
    function customerWith(projects: number, ordersEach: number, payment: (orderId: string) => Record<string, unknown> | undefined = (id) => aTransaction({ order_id: id })) {
      const projectList = Array.from({ length: projects }, (_, p) => aProject({ id: `p${p}`, name: `Project ${p}` }));
      const orders = projectList.flatMap((project) => Array.from({ length: ordersEach }, (_, o) => anOrder({ id: `${project.id}-o${o}`, project_id: project.id })));
      const rpc = new FakeRpc()
        .answer('user.getUser', () => aUser())
        .answer('project.listProjectsForUser', () => projectList)
        .answer('project.getOrdersByProjectId', (projectIds: string[]) => orders.filter((order) => projectIds.includes(order.project_id)))
        .answer('payment.getTransactionsByOrderId', (orderIds: string[]) => orderIds.map(payment).filter((t) => t !== undefined));
      return { rpc, projects: projectList, orders };
    }

    const overview = async (rpc: FakeRpc) => {
      const { app } = await supportApp(rpc);
      return app.inject({ method: 'GET', url: `/customers/${U1}/overview`, headers: bearer() });
    };

    it('shows projects, their orders and each order’s payment state in one response, and nothing else of them', async () => {
      const rpc = new FakeRpc()
        .answer('user.getUser', () => aUser())
        .answer('project.listProjectsForUser', () => [aProject({ id: P1 }), aProject({ id: P2, name: 'Bathroom' })])
        .answer('project.getOrdersByProjectId', () => [
          anOrder({ id: O3, project_id: P2, status: 'awaiting_payment' }),
          anOrder({ id: O1 }),
          anOrder({ id: O2, status: 'awaiting_payment' }),
        ])
        .answer('payment.getTransactionsByOrderId', () => [
          aTransaction({ id: 't2', order_id: O2, state: 'failed', failure_reason: 'insufficient_funds' }),
          aTransaction({ order_id: O1 }),
        ]);
      const res = await overview(rpc);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.customer).toMatchObject({ id: U1, email: 'ann@example.com' });
      expect(body.projects.map((p: { id: string; orders: { id: string }[] }) => [p.id, p.orders.map((o) => o.id)])).toEqual([
        [P1, [O1, O2]],
        [P2, [O3]],
      ]);
      expect(body.projects[0].orders[0]).toEqual({
        id: O1,
        project_id: P1,
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
    });

    it.each([
      [1, 1],
      [3, 10],
      [40, 12],
    ])('reads the orders of %i project(s) in one call and the payments of all their orders (%i each) in another', async (projectCount, ordersEach) => {
      const { rpc, projects, orders } = customerWith(projectCount, ordersEach);
      const res = await overview(rpc);
      expect(res.statusCode).toBe(200);
      expect(res.json().projects.flatMap((p: { orders: { id: string }[] }) => p.orders.map((o) => o.id))).toEqual(orders.map((o) => o.id));
      // Round one in parallel, then one batch call to each service, in that order: nothing per project or per order.
      const targets = rpc.calls.map((c) => `${c.service}.${c.method}`);
      expect(targets.slice(0, 2).sort()).toEqual(['project.listProjectsForUser', 'user.getUser']);
      expect(targets.slice(2)).toEqual(['project.getOrdersByProjectId', 'payment.getTransactionsByOrderId']);
      expect(rpc.called('project.getOrdersByProjectId')[0]!.args).toEqual([projects.map((p) => p.id)]);
      expect(rpc.called('payment.getTransactionsByOrderId')[0]!.args).toEqual([orders.map((o) => o.id)]);
    });

    it('shows payment null for the orders payment has no transaction for', async () => {
      const { rpc } = customerWith(2, 2, (orderId) => (orderId === 'p0-o1' ? aTransaction({ order_id: orderId }) : undefined));
      const res = await overview(rpc);
      expect(res.statusCode).toBe(200);
      const payments = res.json().projects.flatMap((p: { orders: { id: string; payment: unknown }[] }) => p.orders.map((o) => [o.id, o.payment && 'paid']));
      expect(payments).toEqual([
        ['p0-o0', null],
        ['p0-o1', 'paid'],
        ['p1-o0', null],
        ['p1-o1', null],
      ]);
    });

    it('asks payment nothing when the customer’s projects have no orders', async () => {
      const { rpc } = customerWith(3, 0);
      const res = await overview(rpc);
      expect(res.statusCode).toBe(200);
      expect(res.json().projects.map((p: { orders: unknown[] }) => p.orders)).toEqual([[], [], []]);
      expect(rpc.calls.map((c) => c.method)).not.toContain('getTransactionsByOrderId');
      expect(rpc.calls).toHaveLength(3);
    });

    it('makes no batch call for a customer with no projects', async () => {
      const { rpc } = customerWith(0, 0);
      const res = await overview(rpc);
      expect(res.statusCode).toBe(200);
      expect(res.json().projects).toEqual([]);
      expect(rpc.calls.map((c) => `${c.service}.${c.method}`).sort()).toEqual(['project.listProjectsForUser', 'user.getUser']);
    });

    it(`asks for more than ${BATCH_LIMIT} orders’ payments in calls of ${BATCH_LIMIT} at most, all at once`, async () => {
      const { rpc, orders } = customerWith(1, 2 * BATCH_LIMIT + 1);
      let inFlight = 0;
      let most = 0;
      rpc.answer('payment.getTransactionsByOrderId', async (orderIds: string[]) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        return orderIds.map((id) => aTransaction({ order_id: id }));
      });
      const res = await overview(rpc);
      expect(res.statusCode).toBe(200);
      expect(res.json().projects[0].orders.every((o: { payment: unknown }) => o.payment !== null)).toBe(true);
      const batches = rpc.called('payment.getTransactionsByOrderId').map((c) => c.args[0] as string[]);
      expect(batches.map((batch) => batch.length)).toEqual([BATCH_LIMIT, BATCH_LIMIT, 1]);
      expect(batches.flat()).toEqual(orders.map((o) => o.id));
      expect(most).toBe(3);
    });

    it('fails whole, with 504, when a batch read times out', async () => {
      const { rpc } = customerWith(2, 2);
      rpc.answer('payment.getTransactionsByOrderId', () => {
        throw new RpcTimeout('payment', 'getTransactionsByOrderId', 10_000);
      });
      const res = await overview(rpc);
      expect(res.statusCode).toBe(504);
      expect(res.json().error).toBe('GATEWAY_TIMEOUT');
    });
  });

  test('the emails sent to a customer', async () => {
    const rpc = new FakeRpc().answer('messaging.listMessagesForUser', () => [aMessage(), aMessage({ id: 'm0', kind: 'welcome', order_id: null, project_id: null })]);
    const { app } = await supportApp(rpc);
    const res = await app.inject({ method: 'GET', url: `/customers/${U1}/messages`, headers: bearer() });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toHaveLength(2);
    expect(res.json()[0]).not.toHaveProperty('smtp_message_id');
    expect(rpc.called('messaging.listMessagesForUser')[0]!.args).toEqual([U1]);
  });

  test('resend a receipt, recorded as asked by the token’s user', async () => {
    const rpc = new FakeRpc().answer('messaging.resendOrderReceipt', () => aMessage({ id: 'm2', resent_of: 'm1', requested_by: S1 }));
    const { app } = await supportApp(rpc);
    const res = await app.inject({ method: 'POST', url: `/orders/${O1}/receipt`, headers: { ...bearer(), 'x-request-id': 'req-7' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ id: 'm2', resent_of: 'm1', requested_by: S1 });
    expect(rpc.calls).toHaveLength(1);
    expect(rpc.calls[0]).toMatchObject({
      args: [O1, S1],
      options: { callId: 'support.http.req-7', contextData: { user_id: S1 } },
    });
  });
});
