// Opening transactions from order_placed, saving cards, reading transactions (one by order, many
// by id or by order at once), and refusing bad input to every endpoint, with fake storage and a fake Stripe.
import { randomUUID } from 'node:crypto';
import * as exc from '../../src/exceptions';
import { failure, orderPlaced, paymentWorker, withOrder } from './worker';

describe('opening transactions', () => {
  it('opens one awaiting payment per order, however often the order is announced', async () => {
    const { service, store, log } = paymentWorker();
    const event = orderPlaced(2500);
    await service.openTransaction(event);
    await service.openTransaction({ ...event, extra: 'ignored' });
    expect([...store.transactions.values()]).toEqual([
      expect.objectContaining({ order_id: event.order.id, project_id: event.project.id, project_name: 'Garden', amount: 2500, currency: 'EUR', state: 'awaiting_payment', attempt: 0 }),
    ]);
    expect(log.info.calls).toHaveLength(1);
  });

  it('refuses an event it cannot read, naming the fields, and opens nothing', async () => {
    const { service, store } = paymentWorker();
    const event = orderPlaced();
    const error = (await failure(service.openTransaction({ ...event, order: { ...event.order, amount: 12.5, currency: 'eur' }, placed_by: undefined }))) as exc.BadRequest;
    expect(error).toBeInstanceOf(exc.BadRequest);
    expect(error.details.map((d) => d.field).sort()).toEqual(['order.amount', 'order.currency', 'placed_by']);
    await expect(service.openTransaction('an order')).rejects.toBeInstanceOf(exc.BadRequest);
    expect(store.transactions.size).toBe(0);
  });
});

describe('cards', () => {
  it('makes the user a Stripe customer on their first card, once, and lists their cards newest first', async () => {
    const { service, store, stripe } = paymentWorker();
    const user = randomUUID();
    await expect(service.listPaymentMethods(user)).resolves.toEqual([]);
    expect(stripe.calls).toEqual([]); // no customer: nothing to ask Stripe
    const visa = await service.addPaymentMethod(user, 'pm_card_visa');
    expect(visa).toEqual({ id: expect.stringMatching(/^pm_/), brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 });
    const mastercard = await service.addPaymentMethod(user, 'pm_card_mastercard');
    await expect(service.listPaymentMethods(user)).resolves.toEqual([mastercard, visa]);
    expect([...store.customers.values()]).toEqual([expect.objectContaining({ user_id: user, stripe_customer_id: stripe.customers.get(user) })]);
    expect(stripe.calls.filter((c) => c === 'ensureCustomer')).toHaveLength(1);
  });

  it('answers a token Stripe does not know with NotFound', async () => {
    const { service } = paymentWorker();
    await expect(service.addPaymentMethod(randomUUID(), 'pm_card_nonsense')).rejects.toThrow(new exc.NotFound('no payment method pm_card_nonsense'));
  });
});

describe('reading transactions', () => {
  it('finds a transaction by order, and many by id at once, leaving unknown ones out', async () => {
    const { service, orderId } = await withOrder();
    const transaction = await service.getTransactionByOrder(orderId);
    expect(transaction).toMatchObject({ order_id: orderId, state: 'awaiting_payment', payment_intent_id: null, paid_by: null });
    expect(Object.keys(transaction)).not.toContain('stripe_customer_id');
    expect(Object.keys(transaction)).not.toContain('version');
    await expect(service.getTransactionsById([randomUUID(), transaction.id])).resolves.toEqual([transaction]);
    await expect(service.getTransactionByOrder(randomUUID())).rejects.toBeInstanceOf(exc.TransactionNotFound);
  });

  it('reads the transactions of many orders in one call to storage, once each, leaving out orders it has not heard of', async () => {
    const { service, db, orderId } = await withOrder();
    const second = orderPlaced(900);
    await service.openTransaction(second);
    const first = await service.getTransactionByOrder(orderId);
    const other = await service.getTransactionByOrder(second.order.id);
    const many = jest.spyOn(db.transactions, 'getManyByOrderId');
    const one = jest.spyOn(db.transactions, 'getByOrderId');
    await expect(service.getTransactionsByOrderId([second.order.id, randomUUID(), orderId, second.order.id])).resolves.toEqual([other, first]);
    expect(many).toHaveBeenCalledTimes(1);
    expect(one).not.toHaveBeenCalled();
    await expect(service.getTransactionsByOrderId([randomUUID()])).resolves.toEqual([]);
    await expect(service.getTransactionsByOrderId([])).resolves.toEqual([]);
  });

  it('takes up to 500 order ids in one call, and refuses more naming orderIds', async () => {
    const { service } = paymentWorker();
    await expect(service.getTransactionsByOrderId([...Array(500)].map(() => randomUUID()))).resolves.toEqual([]);
    const error = (await failure(service.getTransactionsByOrderId([...Array(501)].map(() => randomUUID())))) as exc.BadRequest;
    expect(error).toBeInstanceOf(exc.BadRequest);
    expect(error.details.map((d) => d.field)).toEqual(['orderIds']);
  });
});

describe('bad input', () => {
  it('is refused at every endpoint, naming the field, with nothing written and nothing sent to Stripe', async () => {
    const { service, store, stripe, orderId, payer, card } = await withOrder();
    const before = store.snapshot();
    const attempts: [string, () => Promise<unknown>][] = [
      ['userId', () => service.listPaymentMethods('me')],
      ['token', () => service.addPaymentMethod(payer, 'tok_visa')],
      ['userId', () => service.addPaymentMethod(undefined as never, 'pm_card_visa')],
      ['orderId', () => service.payOrder('42', card, payer)],
      ['paymentMethodId', () => service.payOrder(orderId, 42 as never, payer)],
      ['paidBy', () => service.payOrder(orderId, card, 'nobody')],
      ['paymentIntentId', () => service.confirmPaymentIntent('pi_', payer)],
      ['orderId', () => service.getTransactionByOrder('')],
      ['transactionIds', () => service.getTransactionsById([orderId, 'x'])],
      ['orderIds', () => service.getTransactionsByOrderId([orderId, 'x'])],
      ['orderIds', () => service.getTransactionsByOrderId(orderId as never)],
      ['orderId', () => service.refundPayment([orderId] as never, 'why', payer)],
      ['reason', () => service.refundPayment(orderId, '', payer)],
      ['actorId', () => service.refundPayment(orderId, 'why', 7 as never)],
    ];
    for (const [field, attempt] of attempts) {
      const error = (await failure(attempt())) as exc.BadRequest;
      expect({ field, error: error.constructor.name, fields: error.details?.map((d) => d.field.split('.')[0]) }).toEqual({ field, error: 'BadRequest', fields: [field] });
    }
    const several = (await failure(service.payOrder('42', 'card', 'me'))) as exc.BadRequest;
    expect(several.details!.map((d) => d.field).sort()).toEqual(['orderId', 'paidBy', 'paymentMethodId']);
    expect(store.snapshot()).toEqual(before);
    expect(stripe.calls).toEqual([]);
  });
});
