import { describeFacadeValidation } from '@platform/http/testing';
import { anOrder, aProject, aUser, FakeRpc, O1, P1 } from './fake-rpc';
import { bearer, webApp } from './helpers';

const NOT_A_UUID = 'not-a-uuid';
const order = { description: 'Tiles', amount: 1500, currency: 'EUR' };
const pay = { payment_method_id: 'pm_1' };

describeFacadeValidation({
  app: webApp,
  bearer,
  unknownField: { method: 'POST', url: `/projects/${P1}/orders`, payload: { ...order, status: 'paid' }, field: 'status' },
  malformedJson: { method: 'POST', url: '/projects' },
  notJson: { method: 'POST', url: '/projects' },
  oversized: { method: 'POST', url: '/projects' },
  notUuid: [
    { method: 'GET', url: `/projects/${NOT_A_UUID}`, field: 'projectId' },
    { method: 'POST', url: `/projects/${NOT_A_UUID}/members`, field: 'projectId', payload: { email: 'bob@example.com' } },
    { method: 'POST', url: `/projects/${NOT_A_UUID}/orders`, field: 'projectId', payload: order },
    { method: 'GET', url: `/projects/${NOT_A_UUID}/orders`, field: 'projectId' },
    { method: 'POST', url: `/projects/${NOT_A_UUID}/orders/${O1}/payment`, field: 'projectId', payload: pay },
    { method: 'POST', url: `/projects/${P1}/orders/${NOT_A_UUID}/payment`, field: 'orderId', payload: pay },
    { method: 'POST', url: `/projects/${NOT_A_UUID}/orders/${O1}/payment/confirm`, field: 'projectId', payload: { payment_intent_id: 'pi_1' } },
    { method: 'POST', url: `/projects/${P1}/orders/${NOT_A_UUID}/payment/confirm`, field: 'orderId', payload: { payment_intent_id: 'pi_1' } },
    { method: 'POST', url: `/projects/${NOT_A_UUID}/orders/${O1}/payment/abandon`, field: 'projectId' },
    { method: 'POST', url: `/projects/${P1}/orders/${NOT_A_UUID}/payment/abandon`, field: 'orderId' },
    { method: 'POST', url: `/projects/${NOT_A_UUID}/orders/${O1}/cancel`, field: 'projectId' },
    { method: 'POST', url: `/projects/${P1}/orders/${NOT_A_UUID}/cancel`, field: 'orderId' },
    { method: 'GET', url: `/projects/${'a'.repeat(36)}`, field: 'projectId' },
    { method: 'GET', url: `/projects/${P1.toUpperCase().replace(/-/g, '')}`, field: 'projectId' },
  ],
  rateLimited: [
    { method: 'POST', url: '/register', limit: 'login' },
    { method: 'POST', url: '/login', limit: 'login' },
    { method: 'POST', url: '/payment-methods', limit: 'payment' },
    { method: 'POST', url: `/projects/${P1}/orders/${O1}/payment`, limit: 'payment' },
    { method: 'POST', url: `/projects/${P1}/orders/${O1}/payment/confirm`, limit: 'payment' },
  ],
});

describe('abandoning a payment, which takes no body', () => {
  test('is under the payment rate limit: past it 429, before any RPC', async () => {
    const rpc = new FakeRpc().answer('project.getOrder', () => anOrder()).answer('payment.abandonPayment', () => ({}));
    const { app } = await webApp(rpc, { rateLimits: { payment: { max: 1, timeWindow: '1 minute' } } });
    const abandon = { method: 'POST', url: `/projects/${P1}/orders/${O1}/payment/abandon`, headers: bearer() } as const;
    await app.inject(abandon);
    const calls = rpc.calls.length;
    const res = await app.inject(abandon);
    expect(res.statusCode).toBe(429);
    expect(rpc.calls).toHaveLength(calls);
  });
});

describe('validation happens before any RPC', () => {
  test.each([
    ['no payment intent', {}],
    ['a charge id instead of a payment intent', { payment_intent_id: 'ch_123' }],
    ['a payment intent that is not text', { payment_intent_id: 42 }],
    ['an unknown field beside it', { payment_intent_id: 'pi_1', paid_by: 'someone' }],
  ])('confirming with %s is 400 naming the field', async (_name, payload) => {
    const { app, rpc } = await webApp();
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}/payment/confirm`, headers: bearer(), payload });
    expect(res.statusCode).toBe(400);
    const field = 'paid_by' in payload ? 'paid_by' : 'payment_intent_id';
    expect(res.json().details.map((d: { field: string }) => d.field)).toEqual([field]);
    expect(rpc.calls).toHaveLength(0);
  });


  test('a wrong type is 400 naming the field', async () => {
    const { app, rpc } = await webApp();
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders`, headers: bearer(), payload: { ...order, amount: '15.00' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { field: string }) => d.field)).toEqual(['amount']);
    expect(rpc.calls).toHaveLength(0);
  });

  test('a bad path parameter is 400 naming it', async () => {
    const { app, rpc } = await webApp();
    const res = await app.inject({ method: 'GET', url: `/projects/${encodeURIComponent("1' OR '1'='1")}`, headers: bearer() });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('projectId');
    expect(rpc.calls).toHaveLength(0);
  });
});

describe('ids and texts are held to the services’ own limits: the facade refuses first, naming its field, and asks nothing', () => {
  const register = { email: 'ann@example.com', name: 'Ann', password: 'correct horse' };
  test.each([
    ['a name over 100 characters', '/register', { ...register, name: 'n'.repeat(101) }, 'name'],
    ['a password over 128 characters', '/register', { ...register, password: 'p'.repeat(129) }, 'password'],
    ['a login password over 128 characters', '/login', { email: 'ann@example.com', password: 'p'.repeat(129) }, 'password'],
  ])('%s is refused by the facade, naming the field', async (_name, url, payload, field) => {
    const { app, rpc } = await webApp();
    const res = await app.inject({ method: 'POST', url, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: [{ field }] });
    expect(rpc.calls).toHaveLength(0);
  });

  test('a name of 100 characters and a password of 128 are passed on', async () => {
    const { app, rpc } = await webApp(new FakeRpc().answer('user.registerUser', () => aUser()).answer('user.authenticate', () => aUser()));
    const name = 'n'.repeat(100);
    const password = 'p'.repeat(128);
    expect((await app.inject({ method: 'POST', url: '/register', payload: { ...register, name, password } })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/login', payload: { email: 'ann@example.com', password } })).statusCode).toBe(200);
    expect(rpc.called('user.registerUser')[0]!.args).toEqual(['ann@example.com', name, password]);
  });

  test.each([
    ['a currency ISO 4217 does not know', { currency: 'ABC' }, 'currency'],
    ['a currency Stripe does not charge in', { currency: 'XDR' }, 'currency'],
    ['more than Stripe charges in one payment', { amount: 100_000_000 }, 'amount'],
    ['less than Stripe charges in the currency', { amount: 29, currency: 'GBP' }, 'amount'],
  ])('an order of %s is refused by the facade, as the project service would: it could never be paid', async (_what, change, field) => {
    const { app, rpc } = await webApp();
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders`, headers: bearer(), payload: { ...order, ...change } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: [{ field }] });
    expect(rpc.calls).toHaveLength(0);
  });

  test('a project’s description is trimmed, as the project service would, before its 2000 characters are counted', async () => {
    const { app, rpc } = await webApp(new FakeRpc().answer('project.createProject', () => aProject()));
    const description = 'd'.repeat(2000);
    const res = await app.inject({ method: 'POST', url: '/projects', headers: bearer(), payload: { name: 'Kitchen', description: `  ${description}\n` } });
    expect(res.statusCode).toBe(201);
    expect(rpc.called('project.createProject')[0]!.args[2]).toBe(description);
  });
});
