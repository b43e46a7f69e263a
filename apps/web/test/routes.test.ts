import { aProject, anOrder, aUser, FakeRpc, O1, P1, P9, U1, U2, U3 } from './fake-rpc';
import { bearer, tokenWith, webApp } from './helpers';

describe('the customers’ routes', () => {
  test('register answers 201 with the user, without internal fields', async () => {
    const { app, rpc } = await webApp(new FakeRpc().answer('user.registerUser', () => aUser({ password_hash: 'x' })));
    const res = await app.inject({ method: 'POST', url: '/register', payload: { email: 'ann@example.com', name: 'Ann', password: 'correct horse' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ id: U1, email: 'ann@example.com', name: 'Ann', role: 'customer', created_at: aUser().created_at });
    expect(rpc.called('user.registerUser')[0]!.args).toEqual(['ann@example.com', 'Ann', 'correct horse']);
  });

  test('login returns a token for the web audience that then opens who am I', async () => {
    const rpc = new FakeRpc().answer('user.authenticate', () => aUser()).answer('user.getUser', () => aUser());
    const { app } = await webApp(rpc);
    const login = await app.inject({ method: 'POST', url: '/login', payload: { email: 'ann@example.com', password: 'correct horse' } });
    expect(login.statusCode).toBe(200);
    const { token } = login.json();
    expect(app.jwt.decode<{ aud: string; sub: string }>(token)).toMatchObject({ aud: 'web', sub: U1 });
    const me = await app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().email).toBe('ann@example.com');
    expect(rpc.called('user.getUser')[0]!.args).toEqual([U1]);
  });

  test('login refuses someone who is not a customer', async () => {
    const { app } = await webApp(new FakeRpc().answer('user.authenticate', () => aUser({ role: 'admin' })));
    const res = await app.inject({ method: 'POST', url: '/login', payload: { email: 'ann@example.com', password: 'x' } });
    expect(res.statusCode).toBe(403);
  });

  test('calls carry the request id as call id and the token’s user as user_id', async () => {
    const { app, rpc } = await webApp(new FakeRpc().answer('project.listProjectsForUser', () => [aProject()]));
    const res = await app.inject({ method: 'GET', url: '/projects', headers: { ...bearer(), 'x-request-id': 'req-42' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('req-42');
    expect(res.json()).toEqual([{ id: P1, name: 'Kitchen', description: null, owner_id: U1, created_at: aProject().created_at }]);
    expect(rpc.calls[0]).toMatchObject({ args: [U1], options: { callId: 'web.http.req-42', contextData: { user_id: U1 } } });
  });

  test('create and open a project as the token’s user', async () => {
    const rpc = new FakeRpc().answer('project.createProject', () => aProject()).answer('project.getProject', () => aProject());
    const { app } = await webApp(rpc);
    const created = await app.inject({ method: 'POST', url: '/projects', headers: bearer(), payload: { name: 'Kitchen' } });
    expect(created.statusCode).toBe(201);
    expect(rpc.called('project.createProject')[0]!.args).toEqual([U1, 'Kitchen', undefined]);
    const opened = await app.inject({ method: 'GET', url: `/projects/${P1}`, headers: bearer() });
    expect(opened.statusCode).toBe(200);
    expect(opened.json().members).toEqual([{ user_id: U1, role: 'owner', added_at: aProject().created_at }]);
    expect(rpc.called('project.getProject')[0]!.args).toEqual([P1, U1]);
  });

  test('add a member by email, matching the email exactly', async () => {
    const rpc = new FakeRpc()
      .answer('project.getProject', () => aProject())
      .answer('user.findUsers', () => ({ items: [aUser({ id: U3, email: 'bobby@example.com' }), aUser({ id: U2, email: 'Bob@example.com' })], total: 2 }))
      .answer('project.addMember', () => ({ project_id: P1, user_id: U2, role: 'member', added_by: U1, added_at: aUser().created_at }));
    const { app } = await webApp(rpc);
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/members`, headers: bearer(), payload: { email: 'bob@example.com' } });
    expect(res.statusCode).toBe(201);
    expect(rpc.called('project.addMember')[0]!.args).toEqual([P1, U2, U1]);
  });

  test('adding an unknown email is 404 naming the email', async () => {
    const rpc = new FakeRpc().answer('project.getProject', () => aProject()).answer('user.findUsers', () => ({ items: [], total: 0 }));
    const { app } = await webApp(rpc);
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/members`, headers: bearer(), payload: { email: 'nobody@example.com' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().details).toEqual([{ field: 'email', message: 'not registered' }]);
    expect(rpc.called('project.addMember')).toHaveLength(0);
  });

  test('place and list orders on my project', async () => {
    const rpc = new FakeRpc().answer('project.placeOrder', () => anOrder()).answer('project.listOrders', () => [anOrder()]);
    const { app } = await webApp(rpc);
    const placed = await app.inject({
      method: 'POST',
      url: `/projects/${P1}/orders`,
      headers: bearer(),
      payload: { description: 'Tiles', amount: 1500, currency: 'EUR' },
    });
    expect(placed.statusCode).toBe(201);
    expect(placed.json()).not.toHaveProperty('placed_by');
    expect(rpc.called('project.placeOrder')[0]!.args).toEqual([P1, U1, 'Tiles', 1500, 'EUR']);
    const listed = await app.inject({ method: 'GET', url: `/projects/${P1}/orders`, headers: bearer() });
    expect(listed.json()).toHaveLength(1);
  });

  test('list and add my payment methods', async () => {
    const card = { id: 'pm_1', brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, customer: 'cus_1' };
    const rpc = new FakeRpc().answer('payment.listPaymentMethods', () => [card]).answer('payment.addPaymentMethod', () => card);
    const { app } = await webApp(rpc);
    const added = await app.inject({ method: 'POST', url: '/payment-methods', headers: bearer(), payload: { token: 'pm_card_visa' } });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toEqual({ id: 'pm_1', brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 });
    expect(rpc.called('payment.addPaymentMethod')[0]!.args).toEqual([U1, 'pm_card_visa']);
    const listed = await app.inject({ method: 'GET', url: '/payment-methods', headers: bearer() });
    expect(listed.json()).toHaveLength(1);
  });

  test('pay an order of my project: the project service is asked first', async () => {
    const transaction = { id: 't1', order_id: O1, amount: 1500, currency: 'EUR', state: 'paid', payment_intent_id: null, failure_reason: null, paid_by: U1 };
    const rpc = new FakeRpc().answer('project.getOrder', () => anOrder()).answer('payment.payOrder', () => transaction);
    const { app } = await webApp(rpc);
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}/payment`, headers: bearer(), payload: { payment_method_id: 'pm_1' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ order_id: O1, amount: 1500, currency: 'EUR', state: 'paid', payment_intent_id: null, failure_reason: null, client_secret: null, next_action: null });
    expect(rpc.calls.map((c) => `${c.service}.${c.method}`)).toEqual(['project.getOrder', 'payment.payOrder']);
    expect(rpc.called('payment.payOrder')[0]!.args).toEqual([O1, 'pm_1', U1]);
  });

  test('paying an order under another project is 404 and charges nothing', async () => {
    const rpc = new FakeRpc().answer('project.getOrder', () => anOrder({ project_id: P9 }));
    const { app } = await webApp(rpc);
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}/payment`, headers: bearer(), payload: { payment_method_id: 'pm_1' } });
    expect(res.statusCode).toBe(404);
    expect(rpc.called('payment.payOrder')).toHaveLength(0);
  });
});

describe('paying with 3-D Secure', () => {
  const awaiting = {
    id: 't1',
    order_id: O1,
    amount: 1500,
    currency: 'EUR',
    state: 'processing',
    payment_intent_id: 'pi_1',
    failure_reason: null,
    paid_by: U1,
    client_secret: 'pi_1_secret_x',
    next_action: { type: 'use_stripe_sdk' },
  };
  const paid = { ...awaiting, state: 'paid', client_secret: null, next_action: null };
  const confirm = (payload: Record<string, unknown> = { payment_intent_id: 'pi_1' }) => ({ method: 'POST', url: `/projects/${P1}/orders/${O1}/payment/confirm`, headers: bearer(), payload }) as const;
  const abandon = { method: 'POST', url: `/projects/${P1}/orders/${O1}/payment/abandon`, headers: bearer() } as const;

  test('paying with a card that needs authentication answers requires_action with what the client authenticates with', async () => {
    const rpc = new FakeRpc().answer('project.getOrder', () => anOrder()).answer('payment.payOrder', () => awaiting);
    const { app } = await webApp(rpc);
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}/payment`, headers: bearer(), payload: { payment_method_id: 'pm_1' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      order_id: O1,
      amount: 1500,
      currency: 'EUR',
      state: 'requires_action',
      payment_intent_id: 'pi_1',
      failure_reason: null,
      client_secret: 'pi_1_secret_x',
      next_action: { type: 'use_stripe_sdk' },
    });
  });

  test('confirms the authenticated payment intent in my name, once the project service says the order is mine', async () => {
    const rpc = new FakeRpc().answer('project.getOrder', () => anOrder()).answer('payment.confirmPaymentIntent', () => paid);
    const { app } = await webApp(rpc);
    const res = await app.inject(confirm());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ order_id: O1, state: 'paid', client_secret: null, next_action: null });
    expect(rpc.calls.map((c) => `${c.service}.${c.method}`)).toEqual(['project.getOrder', 'payment.confirmPaymentIntent']);
    expect(rpc.called('payment.confirmPaymentIntent')[0]!.args).toEqual(['pi_1', U1]);
  });

  test('abandons the authentication in my name: the order is payable again', async () => {
    const abandoned = { ...awaiting, state: 'failed', failure_reason: 'authentication_abandoned', client_secret: null, next_action: null };
    const rpc = new FakeRpc().answer('project.getOrder', () => anOrder()).answer('payment.abandonPayment', () => abandoned);
    const { app } = await webApp(rpc);
    const res = await app.inject(abandon);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ order_id: O1, state: 'failed', failure_reason: 'authentication_abandoned', client_secret: null });
    expect(rpc.called('payment.abandonPayment')[0]!.args).toEqual([O1, U1]);
  });

  test('confirming or abandoning an order under another project is 404 and asks payment nothing', async () => {
    const rpc = new FakeRpc().answer('project.getOrder', () => anOrder({ project_id: P9 }));
    const { app } = await webApp(rpc);
    expect((await app.inject(confirm())).statusCode).toBe(404);
    expect((await app.inject(abandon)).statusCode).toBe(404);
    expect(rpc.calls.filter((c) => c.service === 'payment')).toHaveLength(0);
  });

  test('confirming a payment intent of another of my orders through this order is 404', async () => {
    const rpc = new FakeRpc().answer('project.getOrder', () => anOrder()).answer('payment.confirmPaymentIntent', () => ({ ...paid, order_id: P9 }));
    const { app } = await webApp(rpc);
    const res = await app.inject(confirm());
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe(`order ${O1} has no payment intent pi_1`);
  });
});

describe('cancelling an order', () => {
  const cancel = (headers: Record<string, string> = bearer()) => ({ method: 'POST', url: `/projects/${P1}/orders/${O1}/cancel`, headers }) as const;

  test('cancels an order of my project that awaits payment, in my name', async () => {
    const rpc = new FakeRpc().answer('project.getOrder', () => anOrder()).answer('project.cancelOrder', () => anOrder({ status: 'cancelled', version: 2 }));
    const { app } = await webApp(rpc);
    const res = await app.inject(cancel());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: O1, status: 'cancelled' });
    expect(rpc.calls.map((c) => `${c.service}.${c.method}`)).toEqual(['project.getOrder', 'project.cancelOrder']);
    expect(rpc.called('project.cancelOrder')[0]!.args).toEqual([O1, U1]);
  });

  test('an order under another project is 404 and nothing is cancelled', async () => {
    const rpc = new FakeRpc().answer('project.getOrder', () => anOrder({ project_id: P9 }));
    const { app } = await webApp(rpc);
    expect((await app.inject(cancel())).statusCode).toBe(404);
    expect(rpc.called('project.cancelOrder')).toHaveLength(0);
  });

  test('needs a customer’s token: none is 401, support’s is 403, and nothing is called', async () => {
    const { app, rpc } = await webApp();
    expect((await app.inject(cancel({}))).statusCode).toBe(401);
    expect((await app.inject(cancel({ authorization: `Bearer ${tokenWith({ role: 'support' })}` }))).statusCode).toBe(403);
    expect(rpc.calls).toHaveLength(0);
  });
});
