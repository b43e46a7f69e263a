import { deserializeError, RemoteError, RpcTimeout } from '@platform/shimeji';
import {
  BadRequest,
  ConcurrentChange,
  InvalidCredentials,
  InvalidOrderState,
  NotFound,
  OrderCancelled,
  PaymentDeclined,
  PaymentProviderError,
  PaymentProviderUnavailable,
  remoteErrors,
  TransactionNotFound,
} from '../src/remote-errors';
import { anOrder, FakeRpc, O1, P1, P9, U2, U9 } from './fake-rpc';
import { adminApp, bearer } from './helpers';

const fail = (error: Error) => () => {
  throw error;
};
const pay = { method: 'POST', url: `/projects/${P1}/orders/${O1}`, payload: { payment_method_id: 'pm_1', paid_by: U2 } } as const;
const refund = { method: 'POST', url: `/projects/${P1}/orders/${O1}/refund`, payload: { reason: 'damaged' } } as const;
const withOrder = () => new FakeRpc().answer('project.getOrdersById', () => [anOrder()]);

describe('remote errors are translated, never shown as they are', () => {
  test('confirming the payment of a cancelled order (OrderCancelled) is 409 naming the order', async () => {
    const { app } = await adminApp(withOrder().answer('payment.payOrder', fail(new OrderCancelled(`order ${O1} was cancelled: it cannot be paid`))));
    const res = await app.inject({ ...pay, headers: bearer() });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'CONFLICT', details: [{ field: 'orderId', message: 'the order was cancelled' }] });
  });

  test('cancelling a paid order (InvalidOrderState) is 409 with the service’s reason', async () => {
    const message = `order ${O1} is paid: it cannot become cancelled`;
    const { app } = await adminApp(withOrder().answer('project.cancelAnyOrder', fail(new InvalidOrderState(message))));
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}/cancel`, headers: bearer(), payload: { reason: 'x' } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ error: 'CONFLICT', message, details: [] });
  });

  test('payment’s TransactionNotFound on confirming is 400 naming the order', async () => {
    const { app } = await adminApp(withOrder().answer('payment.payOrder', fail(new TransactionNotFound(`no transaction for order ${O1}`))));
    const res = await app.inject({ ...pay, headers: bearer() });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'BAD_REQUEST', message: `no transaction for order ${O1}`, details: [{ field: 'orderId' }] });
  });

  test('payment’s NotFound on confirming (no such card) is 404', async () => {
    const { app } = await adminApp(withOrder().answer('payment.payOrder', fail(new NotFound('no payment method pm_1'))));
    const res = await app.inject({ ...pay, headers: bearer() });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'NOT_FOUND', message: 'no payment method pm_1', details: [] });
  });

  test('PaymentDeclined is 402 with the decline code', async () => {
    const { app } = await adminApp(withOrder().answer('payment.payOrder', fail(new PaymentDeclined('card declined', 'insufficient_funds'))));
    const res = await app.inject({ ...pay, headers: bearer() });
    expect(res.statusCode).toBe(402);
    expect(res.json()).toMatchObject({ error: 'PAYMENT_DECLINED', details: [{ field: 'payment_method_id', message: 'insufficient_funds' }] });
  });

  test('payment’s BadRequest is 400 with its details', async () => {
    const details = [{ field: 'orderId', message: `order ${O1} is already paid` }];
    const { app } = await adminApp(withOrder().answer('payment.payOrder', fail(new BadRequest(`order ${O1} is already paid`, details))));
    const res = await app.inject({ ...pay, headers: bearer() });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'BAD_REQUEST', message: `order ${O1} is already paid`, details });
  });

  test('ConcurrentChange is 409', async () => {
    const { app } = await adminApp(withOrder().answer('payment.payOrder', fail(new ConcurrentChange('changed meanwhile'))));
    const res = await app.inject({ ...pay, headers: bearer() });
    expect(res.statusCode).toBe(409);
  });

  test('refunding an unpaid order (BadRequest) is 400, and one payment never heard of (TransactionNotFound) 400', async () => {
    const details = [{ field: 'orderId', message: 'only a paid order can be refunded' }];
    const rpc = withOrder().answer('payment.refundPayment', fail(new BadRequest(`${O1} is awaiting_payment: only a paid order can be refunded`, details)));
    const { app } = await adminApp(rpc);
    const unpaid = await app.inject({ ...refund, headers: bearer() });
    expect(unpaid.statusCode).toBe(400);
    expect(unpaid.json().details).toEqual(details);
    rpc.answer('payment.refundPayment', fail(new TransactionNotFound(`no transaction for order ${O1}`)));
    const unknown = await app.inject({ ...refund, headers: bearer() });
    expect(unknown.statusCode).toBe(400);
  });

  describe('when payment cannot reach Stripe', () => {
    // As the error arrives over the wire, decoded by this facade's own registry.
    const fromPayment = (name: string, message: string) => () => {
      throw deserializeError({ exc_type: name, exc_path: `payment.exceptions.${name}`, exc_args: [message], value: message }, remoteErrors);
    };

    test('Stripe unavailable while refunding or confirming is 503 PAYMENT_PROVIDER_UNAVAILABLE with a Retry-After', async () => {
      const down = fromPayment('PaymentProviderUnavailable', 'Stripe cannot be reached just now: try again shortly');
      const { app } = await adminApp(withOrder().answer('payment.refundPayment', down).answer('payment.payOrder', down));
      for (const request of [refund, pay]) {
        const res = await app.inject({ ...request, headers: bearer() });
        expect(res.statusCode).toBe(503);
        expect(res.headers['retry-after']).toBe('10');
        expect(res.json()).toMatchObject({ error: 'PAYMENT_PROVIDER_UNAVAILABLE' });
      }
    });

    test('an answer from Stripe payment does not understand is 502, without Stripe’s words', async () => {
      const odd = fromPayment('PaymentProviderError', "Stripe's answer was not understood: Invalid API Key sk_test_123");
      const { app } = await adminApp(withOrder().answer('payment.refundPayment', odd));
      const res = await app.inject({ ...refund, headers: bearer() });
      expect(res.statusCode).toBe(502);
      expect(res.json()).toEqual({ error: 'BAD_GATEWAY', message: 'the payment provider gave an answer that could not be used', details: [] });
      expect(res.body).not.toMatch(/sk_test|API Key/);
    });
  });

  test('NotFound from the user or project service is 404', async () => {
    const rpc = new FakeRpc()
      .answer('user.suspendUser', fail(new NotFound(`user ${U9} not found`)))
      .answer('project.listOrdersForProject', fail(new NotFound(`project ${P9} not found`)));
    const { app } = await adminApp(rpc);
    const user = await app.inject({ method: 'POST', url: `/users/${U9}/suspend`, headers: bearer(), payload: { reason: 'x' } });
    expect(user.statusCode).toBe(404);
    const project = await app.inject({ method: 'GET', url: `/projects/${P9}/orders`, headers: bearer() });
    expect(project.statusCode).toBe(404);
    expect(project.json().message).toBe(`project ${P9} not found`);
  });

  test('wrong credentials at login are 401', async () => {
    const { app } = await adminApp(new FakeRpc().answer('user.authenticate', fail(new InvalidCredentials('no'))));
    const res = await app.inject({ method: 'POST', url: '/login', payload: { email: 'ann@example.com', password: 'wrong' } });
    expect(res.statusCode).toBe(401);
  });

  test('a timeout is 504', async () => {
    const { app } = await adminApp(new FakeRpc().answer('project.listProjects', fail(new RpcTimeout('project', 'listProjects', 10_000))));
    const res = await app.inject({ method: 'GET', url: '/projects', headers: bearer() });
    expect(res.statusCode).toBe(504);
  });

  test('an unregistered remote error is 500 INTERNAL with no class name or stack', async () => {
    const wire = { exc_type: 'KeyError', exc_path: 'user.exceptions.KeyError', exc_args: ['secret'], value: 'secret' };
    const { app } = await adminApp(new FakeRpc().answer('user.findUsers', fail(new RemoteError(wire))));
    const res = await app.inject({ method: 'GET', url: '/users', headers: bearer() });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'INTERNAL', message: 'something went wrong', details: [] });
    expect(res.body).not.toMatch(/KeyError|secret|at /);
  });
});

describe('the remote error registry', () => {
  test.each([
    ['payment.exceptions.TransactionNotFound', TransactionNotFound],
    ['payment.exceptions.NotFound', NotFound],
    ['payment.exceptions.PaymentDeclined', PaymentDeclined],
    ['payment.exceptions.BadRequest', BadRequest],
    ['payment.exceptions.PaymentProviderUnavailable', PaymentProviderUnavailable],
    ['payment.exceptions.PaymentProviderError', PaymentProviderError],
    ['user.exceptions.ConcurrentChange', ConcurrentChange],
    ['project.exceptions.NotFound', NotFound],
  ])('declares %s', (path, cls) => {
    expect(remoteErrors.lookup(path)).toBe(cls);
  });
});
