import { aProject, anOrder, aTransaction, aUser, FakeRpc, NOW, O1, O2, P1, P9, U1, U2 } from './fake-rpc';
import { adminApp, bearer } from './helpers';

describe('the admins’ routes', () => {
  test('login returns a token for the admin audience that then opens the admin routes', async () => {
    const rpc = new FakeRpc()
      .answer('user.authenticate', () => aUser({ password_hash: 'x' }))
      .answer('user.findUsers', () => ({ items: [], total: 0, page: 1, page_size: 20 }));
    const { app } = await adminApp(rpc);
    const login = await app.inject({ method: 'POST', url: '/login', payload: { email: 'ann@example.com', password: 'correct horse' } });
    expect(login.statusCode).toBe(200);
    const { token, user } = login.json();
    expect(user).not.toHaveProperty('password_hash');
    expect(app.jwt.decode<{ aud: string; sub: string; role: string }>(token)).toMatchObject({ aud: 'admin', sub: U1, role: 'admin' });
    expect(rpc.called('user.authenticate')[0]!.args).toEqual(['ann@example.com', 'correct horse']);
    const users = await app.inject({ method: 'GET', url: '/users', headers: { authorization: `Bearer ${token}` } });
    expect(users.statusCode).toBe(200);
  });

  test.each(['customer', 'support'])('login refuses a %s with 403 and no token', async (role) => {
    const { app } = await adminApp(new FakeRpc().answer('user.authenticate', () => aUser({ role })));
    const res = await app.inject({ method: 'POST', url: '/login', payload: { email: 'ann@example.com', password: 'x' } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'FORBIDDEN' });
    expect(res.body).not.toMatch(/token/);
  });

  test('find users by query, paged; the defaults are page 1 of 20', async () => {
    const page = { items: [aUser({ id: U2, role: 'customer', password_hash: 'x' })], total: 1, page: 2, page_size: 10 };
    const rpc = new FakeRpc().answer('user.findUsers', () => page);
    const { app } = await adminApp(rpc);
    const res = await app.inject({ method: 'GET', url: '/users?q=ann&page=2&page_size=10', headers: bearer() });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      items: [{ id: U2, email: 'ann@example.com', name: 'Ann', role: 'customer', status: 'active', created_at: NOW }],
      total: 1,
      page: 2,
      page_size: 10,
    });
    expect(rpc.called('user.findUsers')[0]!.args).toEqual(['ann', 2, 10]);
    await app.inject({ method: 'GET', url: '/users', headers: bearer() });
    expect(rpc.called('user.findUsers')[1]!.args).toEqual([undefined, 1, 20]);
  });

  test('suspend and reactivate a user with a reason; the actor is the token’s admin', async () => {
    const rpc = new FakeRpc()
      .answer('user.suspendUser', () => aUser({ id: U2, role: 'customer', status: 'suspended' }))
      .answer('user.reactivateUser', () => aUser({ id: U2, role: 'customer', status: 'active' }));
    const { app } = await adminApp(rpc);
    const suspended = await app.inject({ method: 'POST', url: `/users/${U2}/suspend`, headers: bearer(), payload: { reason: 'chargebacks' } });
    expect(suspended.statusCode).toBe(200);
    expect(suspended.json()).toMatchObject({ id: U2, status: 'suspended' });
    expect(rpc.called('user.suspendUser')[0]!.args).toEqual([U2, 'chargebacks', U1]);
    const reactivated = await app.inject({ method: 'POST', url: `/users/${U2}/reactivate`, headers: bearer(), payload: { reason: 'resolved' } });
    expect(reactivated.statusCode).toBe(200);
    expect(reactivated.json().status).toBe('active');
    expect(rpc.called('user.reactivateUser')[0]!.args).toEqual([U2, 'resolved', U1]);
  });

  test('change a user’s role', async () => {
    const rpc = new FakeRpc().answer('user.changeRole', () => aUser({ id: U2, role: 'support' }));
    const { app } = await adminApp(rpc);
    const res = await app.inject({ method: 'PUT', url: `/users/${U2}/role`, headers: bearer(), payload: { role: 'support' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().role).toBe('support');
    expect(rpc.called('user.changeRole')[0]!.args).toEqual([U2, 'support', U1]);
  });

  test('list projects, paged', async () => {
    const rpc = new FakeRpc().answer('project.listProjects', () => ({ items: [aProject()], total: 1, page: 1, page_size: 5 }));
    const { app } = await adminApp(rpc);
    const res = await app.inject({ method: 'GET', url: '/projects?page_size=5', headers: bearer() });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      items: [{ id: P1, name: 'Kitchen', description: null, owner_id: U2, member_count: 2, created_at: NOW }],
      total: 1,
      page: 1,
      page_size: 5,
    });
    expect(rpc.called('project.listProjects')[0]!.args).toEqual([1, 5]);
  });

  test('list a project’s orders', async () => {
    const rpc = new FakeRpc().answer('project.listOrdersForProject', () => [anOrder(), anOrder({ id: O2 })]);
    const { app } = await adminApp(rpc);
    const res = await app.inject({ method: 'GET', url: `/projects/${P1}/orders`, headers: bearer() });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toHaveLength(2);
    expect(res.json()[0]).not.toHaveProperty('version');
    expect(rpc.called('project.listOrdersForProject')[0]!.args).toEqual([P1]);
  });

  test('confirm an order’s payment: the order is checked against the project first', async () => {
    const rpc = new FakeRpc().answer('project.getOrdersById', () => [anOrder()]).answer('payment.payOrder', () => aTransaction());
    const { app } = await adminApp(rpc);
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}`, headers: bearer(), payload: { payment_method_id: 'pm_1', paid_by: U2 } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 't1', order_id: O1, state: 'paid', paid_by: U2 });
    expect(res.json()).not.toHaveProperty('description');
    expect(rpc.calls.map((c) => `${c.service}.${c.method}`)).toEqual(['project.getOrdersById', 'payment.payOrder']);
    expect(rpc.called('project.getOrdersById')[0]!.args).toEqual([[O1]]);
    expect(rpc.called('payment.payOrder')[0]!.args).toEqual([O1, 'pm_1', U2]);
  });

  test.each([
    ['of another project', [anOrder({ project_id: P9 })]],
    ['unknown', []],
  ])('confirming the payment of an order %s is 404 and charges nothing', async (_name, orders) => {
    const rpc = new FakeRpc().answer('project.getOrdersById', () => orders);
    const { app } = await adminApp(rpc);
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}`, headers: bearer(), payload: { payment_method_id: 'pm_1', paid_by: U2 } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('NOT_FOUND');
    expect(rpc.called('payment.payOrder')).toHaveLength(0);
  });

  test('refund a payment with a reason; the actor is the token’s admin', async () => {
    const rpc = new FakeRpc()
      .answer('project.getOrdersById', () => [anOrder({ status: 'paid' })])
      .answer('payment.refundPayment', () => aTransaction({ state: 'refunded' }));
    const { app } = await adminApp(rpc);
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}/refund`, headers: bearer(), payload: { reason: 'damaged tiles' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().state).toBe('refunded');
    expect(rpc.called('payment.refundPayment')[0]!.args).toEqual([O1, 'damaged tiles', U1]);
  });

  test('refunding an order of another project is 404 and refunds nothing', async () => {
    const rpc = new FakeRpc().answer('project.getOrdersById', () => [anOrder({ project_id: P9 })]);
    const { app } = await adminApp(rpc);
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}/refund`, headers: bearer(), payload: { reason: 'x' } });
    expect(res.statusCode).toBe(404);
    expect(rpc.called('payment.refundPayment')).toHaveLength(0);
  });

  test('cancel an order with a reason; the actor is the token’s admin', async () => {
    const rpc = new FakeRpc()
      .answer('project.getOrdersById', () => [anOrder()])
      .answer('project.cancelAnyOrder', () => anOrder({ status: 'cancelled', version: 2 }));
    const { app } = await adminApp(rpc);
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}/cancel`, headers: bearer(), payload: { reason: 'duplicate order' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: O1, status: 'cancelled' });
    expect(rpc.called('project.cancelAnyOrder')[0]!.args).toEqual([O1, 'duplicate order', U1]);
  });

  test('cancelling a paid order is 202, the order cancelling while its refund is made', async () => {
    const rpc = new FakeRpc()
      .answer('project.getOrdersById', () => [anOrder({ status: 'paid' })])
      .answer('project.cancelAnyOrder', () => anOrder({ status: 'cancelling', version: 3 }));
    const { app } = await adminApp(rpc);
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}/cancel`, headers: bearer(), payload: { reason: 'never delivered' } });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ id: O1, status: 'cancelling' });
  });

  test('cancelling an order of another project is 404, and one without a reason 400; nothing is cancelled', async () => {
    const rpc = new FakeRpc().answer('project.getOrdersById', () => [anOrder({ project_id: P9 })]);
    const { app } = await adminApp(rpc);
    const url = `/projects/${P1}/orders/${O1}/cancel`;
    expect((await app.inject({ method: 'POST', url, headers: bearer(), payload: { reason: 'x' } })).statusCode).toBe(404);
    const noReason = await app.inject({ method: 'POST', url, headers: bearer(), payload: { reason: ' ' } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().details.map((d: { field: string }) => d.field)).toEqual(['reason']);
    expect(rpc.called('project.cancelAnyOrder')).toHaveLength(0);
  });

  test('calls carry the request id as call id and the token’s admin as user_id', async () => {
    const { app, rpc } = await adminApp(new FakeRpc().answer('project.listOrdersForProject', () => []));
    const res = await app.inject({ method: 'GET', url: `/projects/${P1}/orders`, headers: { ...bearer(), 'x-request-id': 'req-7' } });
    expect(res.statusCode).toBe(200);
    expect(rpc.calls[0]).toMatchObject({ options: { callId: 'admin.http.req-7', contextData: { user_id: U1 } } });
  });
});
