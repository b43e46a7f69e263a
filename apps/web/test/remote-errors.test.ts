import { deserializeError, RemoteError, RpcTimeout, UnknownService } from '@platform/shimeji';
import { BadRequest, EmailAlreadyRegistered, InvalidCredentials, InvalidOrderState, NotAwaitingAuthentication, NotFound, OrderCancelled, PaymentDeclined, remoteErrors, TransactionNotFound } from '../src/remote-errors';
import { anOrder, FakeRpc, O1, P1, P9 } from './fake-rpc';
import { bearer, webApp } from './helpers';

const fail = (error: Error) => () => {
  throw error;
};

describe('remote errors are translated, never shown as they are', () => {
  test('NotFound from the project service is 404 (another customer’s project looks absent)', async () => {
    const { app } = await webApp(new FakeRpc().answer('project.getProject', fail(new NotFound(`project ${P9} not found`))));
    const res = await app.inject({ method: 'GET', url: `/projects/${P9}`, headers: bearer() });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'NOT_FOUND', message: `project ${P9} not found`, details: [] });
  });

  test('BadRequest is 400 with the service’s details', async () => {
    const details = [{ field: 'amount', message: 'too large for EUR' }];
    const { app } = await webApp(new FakeRpc().answer('project.placeOrder', fail(new BadRequest('amount: too large for EUR', details))));
    const res = await app.inject({
      method: 'POST',
      url: `/projects/${P1}/orders`,
      headers: bearer(),
      payload: { description: 'Tiles', amount: 1500, currency: 'EUR' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'BAD_REQUEST', message: 'amount: too large for EUR', details });
  });

  test('EmailAlreadyRegistered is 409 and InvalidCredentials 401', async () => {
    const rpc = new FakeRpc()
      .answer('user.registerUser', fail(new EmailAlreadyRegistered('ann@example.com is registered')))
      .answer('user.authenticate', fail(new InvalidCredentials('no')));
    const { app } = await webApp(rpc);
    const register = await app.inject({ method: 'POST', url: '/register', payload: { email: 'ann@example.com', name: 'Ann', password: 'correct horse' } });
    expect(register.statusCode).toBe(409);
    const login = await app.inject({ method: 'POST', url: '/login', payload: { email: 'ann@example.com', password: 'wrong' } });
    expect(login.statusCode).toBe(401);
  });

  test('InvalidOrderState is 409 with the service’s reason: a paid order cannot be cancelled', async () => {
    const rpc = new FakeRpc()
      .answer('project.getOrder', () => anOrder({ status: 'paid' }))
      .answer('project.cancelOrder', fail(new InvalidOrderState(`order ${O1} is paid: it cannot become cancelled`)));
    const { app } = await webApp(rpc);
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}/cancel`, headers: bearer() });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ error: 'CONFLICT', message: `order ${O1} is paid: it cannot become cancelled`, details: [] });
  });

  test('confirming or abandoning what awaits no authentication (NotAwaitingAuthentication) is 409 with the service’s reason', async () => {
    const reason = `order ${O1} is paid: no payment of it awaits authentication`;
    const rpc = new FakeRpc()
      .answer('project.getOrder', () => anOrder())
      .answer('payment.abandonPayment', fail(new NotAwaitingAuthentication(reason)))
      .answer('payment.confirmPaymentIntent', fail(new NotAwaitingAuthentication(reason)));
    const { app } = await webApp(rpc);
    const abandoned = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}/payment/abandon`, headers: bearer() });
    expect(abandoned.statusCode).toBe(409);
    expect(abandoned.json()).toEqual({ error: 'CONFLICT', message: reason, details: [{ field: 'orderId', message: reason }] });
    const confirmed = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}/payment/confirm`, headers: bearer(), payload: { payment_intent_id: 'pi_1' } });
    expect(confirmed.statusCode).toBe(409);
  });

  test('confirming a payment intent payment knows of no payment of mine (TransactionNotFound) is 404', async () => {
    const rpc = new FakeRpc().answer('project.getOrder', () => anOrder()).answer('payment.confirmPaymentIntent', fail(new TransactionNotFound('no transaction with payment intent pi_9')));
    const { app } = await webApp(rpc);
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}/payment/confirm`, headers: bearer(), payload: { payment_intent_id: 'pi_9' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'NOT_FOUND', message: `order ${O1} has no payment intent pi_9`, details: [] });
  });

  test('paying a cancelled order (OrderCancelled) is 409 naming the order', async () => {
    const rpc = new FakeRpc()
      .answer('project.getOrder', () => anOrder({ status: 'cancelled' }))
      .answer('payment.payOrder', fail(new OrderCancelled(`order ${O1} was cancelled: it cannot be paid`)));
    const { app } = await webApp(rpc);
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}/payment`, headers: bearer(), payload: { payment_method_id: 'pm_1' } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ error: 'CONFLICT', message: `order ${O1} was cancelled: it cannot be paid`, details: [{ field: 'orderId', message: 'the order was cancelled' }] });
  });

  test('PaymentDeclined is 402 with the decline code', async () => {
    const rpc = new FakeRpc()
      .answer('project.getOrder', () => anOrder())
      .answer('payment.payOrder', fail(new PaymentDeclined('card declined', 'insufficient_funds')));
    const { app } = await webApp(rpc);
    const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}/payment`, headers: bearer(), payload: { payment_method_id: 'pm_1' } });
    expect(res.statusCode).toBe(402);
    expect(res.json().details).toEqual([{ field: 'payment_method_id', message: 'insufficient_funds' }]);
  });

  describe('when payment cannot reach Stripe', () => {
    // As the error arrives over the wire, decoded by this facade's own registry.
    const fromPayment = (name: string, message: string) => () => {
      throw deserializeError({ exc_type: name, exc_path: `payment.exceptions.${name}`, exc_args: [message], value: message }, remoteErrors);
    };
    const paying = (answer: () => never) => new FakeRpc().answer('project.getOrder', () => anOrder()).answer('payment.payOrder', answer);
    const pay = { method: 'POST', url: `/projects/${P1}/orders/${O1}/payment`, headers: bearer(), payload: { payment_method_id: 'pm_1' } } as const;

    test('Stripe unavailable is 503 PAYMENT_PROVIDER_UNAVAILABLE with a Retry-After', async () => {
      const { app } = await webApp(paying(fromPayment('PaymentProviderUnavailable', 'Stripe cannot be reached just now: try again shortly')));
      const res = await app.inject(pay);
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('10');
      expect(res.json()).toEqual({ error: 'PAYMENT_PROVIDER_UNAVAILABLE', message: 'the payment provider cannot be reached: try again shortly', details: [] });
    });

    test('an answer from Stripe payment does not understand is 502, without Stripe’s words', async () => {
      const { app } = await webApp(paying(fromPayment('PaymentProviderError', "Stripe's answer was not understood: Invalid API Key sk_test_123")));
      const res = await app.inject(pay);
      expect(res.statusCode).toBe(502);
      expect(res.json()).toEqual({ error: 'BAD_GATEWAY', message: 'the payment provider gave an answer that could not be used', details: [] });
      expect(res.body).not.toMatch(/sk_test|API Key/);
    });
  });

  test('a timeout is 504', async () => {
    const { app } = await webApp(new FakeRpc().answer('project.listProjectsForUser', fail(new RpcTimeout('project', 'listProjectsForUser', 10_000))));
    const res = await app.inject({ method: 'GET', url: '/projects', headers: bearer() });
    expect(res.statusCode).toBe(504);
    expect(res.json().error).toBe('GATEWAY_TIMEOUT');
  });

  test('a service with no queue is 503', async () => {
    const { app } = await webApp(new FakeRpc().answer('project.listProjectsForUser', fail(new UnknownService('project'))));
    const res = await app.inject({ method: 'GET', url: '/projects', headers: bearer() });
    expect(res.statusCode).toBe(503);
  });

  test('an unregistered remote error is 500 INTERNAL with no class name or stack', async () => {
    const wire = { exc_type: 'KeyError', exc_path: 'project.exceptions.KeyError', exc_args: ['secret'], value: 'secret' };
    const { app } = await webApp(new FakeRpc().answer('project.listProjectsForUser', fail(new RemoteError(wire))));
    const res = await app.inject({ method: 'GET', url: '/projects', headers: bearer() });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'INTERNAL', message: 'something went wrong', details: [] });
    expect(res.body).not.toMatch(/KeyError|secret|at /);
  });
});
