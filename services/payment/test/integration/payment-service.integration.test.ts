// The payment service in a container on the real PostgreSQL and RabbitMQ, charging the Stripe
// emulator through the official SDK, called as facades call it and sent order_placed as the
// project service sends it. All of the service's integration tests live in this one file: two
// files would share the rpc-payment and event queues while using different databases.
import { randomUUID } from 'node:crypto';
import { eventMessage, inspectDeadLetters, type RemoteError, RpcTimeout, type ServiceProxy } from '@platform/shimeji';
import { rpcClientFactory } from '@platform/shimeji/testing';
import StripeSdk from 'stripe';
import { CardDeclined, clientFor, NotFound as StripeNotFound, PaymentMethodError, StripeApi } from '../../src/dependencies/stripe';
import type { PaymentService } from '../../src/service';
import {
  announcedAbout,
  BadRequest,
  ConcurrentChange,
  errors,
  NotFound,
  outboxEvents,
  PaymentDeclined,
  PaymentProviderUnavailable,
  rowCounts,
  type Running,
  STRIPE_API_KEY,
  startPaymentService,
  TransactionNotFound,
  waitFor,
  workersDone,
} from './harness';

const ORDER_PLACED_QUEUE = 'evt-project-order_placed--payment.openTransaction';

describe('the payment service on PostgreSQL, RabbitMQ and the Stripe emulator', () => {
  const clients = rpcClientFactory({ timeoutMs: 20_000, errors });
  let running: Running;
  let payments: ServiceProxy<PaymentService>;

  beforeAll(async () => {
    running = await startPaymentService();
  }, 60_000);

  afterAll(async () => {
    await running.stop();
  });

  beforeEach(async () => {
    payments = (await clients({ uri: running.uri })).service<PaymentService>('payment');
  });

  const orderPlaced = (amount = 1500, currency = 'EUR') => ({
    order: { id: randomUUID(), description: 'Seeds', amount, currency, status: 'awaiting_payment' },
    project: { id: randomUUID(), name: 'Garden', owner_id: randomUUID() },
    placed_by: { id: randomUUID() },
  });

  /** An order placed as the project service announces it, once payment has opened its transaction. */
  async function placed(amount = 1500) {
    const event = orderPlaced(amount);
    const done = workersDone(running.container, 'openTransaction', event.order.id);
    await running.project.dispatch('project', 'order_placed', event);
    expect((await done)[0]!.error).toBeUndefined();
    return event;
  }

  /** A user with a card added from a Stripe test token. */
  async function payer(token = 'pm_card_visa') {
    const user = randomUUID();
    const card = await payments.addPaymentMethod(user, token);
    return { user, card: card.id };
  }

  /** Attempt 1 of the order begun by `user` with `card` and not yet settled, as paying.ts leaves it before Stripe answers. */
  async function attemptOnRecord(orderId: string, user: string, card: string) {
    const customer = (await running.knex('customers').where({ user_id: user }).first()).stripe_customer_id as string;
    const transaction = await running.knex('transactions').where({ order_id: orderId }).first();
    await running.knex('transactions')
      .where({ id: transaction.id })
      .update({ state: 'processing', attempt: 1, paid_by: user, payment_method_id: card, stripe_customer_id: customer, version: transaction.version + 1 });
    return { customer, transaction };
  }

  /** The charges that succeeded at Stripe for the order: the payment intents carry the order in their metadata. */
  const chargesOf = async (orderId: string) => running.emulator.charges().filter((charge) => charge.metadata.order_id === orderId);

  it('opens a transaction awaiting payment when an order is placed, once however often it is announced', async () => {
    const event = orderPlaced(2500, 'GBP');
    const done = workersDone(running.container, 'openTransaction', event.order.id, 3);
    const message = eventMessage('project', 'order_placed', event, {});
    await running.project.transport.publish(message);
    await running.project.transport.publish(message); // a duplicate: the same message id
    await running.project.dispatch('project', 'order_placed', event); // the same order, announced again
    expect((await done).map((outcome) => outcome.error)).toEqual([undefined, undefined, undefined]);

    const transaction = await payments.getTransactionByOrder(event.order.id);
    expect(transaction).toMatchObject({
      order_id: event.order.id,
      project_id: event.project.id,
      description: 'Seeds',
      amount: 2500,
      currency: 'GBP',
      state: 'awaiting_payment',
      attempt: 0,
      payment_intent_id: null,
      paid_by: null,
    });
    expect(await running.knex('transactions').where({ order_id: event.order.id })).toHaveLength(1);
    await expect(payments.getTransactionsById([randomUUID(), transaction.id])).resolves.toEqual([transaction]);
  });

  it('reads the transactions of many orders in one call, as each stands, leaving out orders it has not heard of', async () => {
    const unpaid = await placed(900);
    const paid = await placed(2500);
    const { user, card } = await payer();
    await payments.payOrder(paid.order.id, card, user);
    const asked = [paid.order.id, randomUUID(), unpaid.order.id, paid.order.id];
    const found = await payments.getTransactionsByOrderId(asked);
    expect(found).toEqual([await payments.getTransactionByOrder(paid.order.id), await payments.getTransactionByOrder(unpaid.order.id)]);
    expect(found.map((t) => [t.state, t.amount])).toEqual([
      ['paid', 2500],
      ['awaiting_payment', 900],
    ]);
    await expect(payments.getTransactionsByOrderId([randomUUID()])).resolves.toEqual([]);
    await expect(payments.getTransactionsByOrderId([])).resolves.toEqual([]);
  });

  it('adds cards, making the user a Stripe customer once, and lists them newest first', async () => {
    const user = randomUUID();
    await expect(payments.listPaymentMethods(user)).resolves.toEqual([]);
    const visa = await payments.addPaymentMethod(user, 'pm_card_visa');
    expect(visa).toEqual({ id: expect.stringMatching(/^pm_/), brand: 'visa', last4: '4242', exp_month: 12, exp_year: expect.any(Number) });
    const mastercard = await payments.addPaymentMethod(user, 'pm_card_mastercard');
    await expect(payments.listPaymentMethods(user)).resolves.toEqual([mastercard, visa]);
    expect(await running.knex('customers').where({ user_id: user })).toHaveLength(1);
  });

  it('takes the payment and announces it with what project and messaging need', async () => {
    const event = await placed(1500);
    const { user, card } = await payer();
    const paid = await payments.payOrder(event.order.id, card, user);
    expect(paid).toMatchObject({ state: 'paid', attempt: 1, paid_by: user, payment_method_id: card, payment_intent_id: expect.stringMatching(/^pi_/) });
    await expect(payments.getTransactionByOrder(event.order.id)).resolves.toEqual(paid);

    expect(await announcedAbout('payment_taken', event.order.id)).toEqual([
      {
        transaction: { id: paid.id },
        order: { id: event.order.id, description: 'Seeds', amount: 1500, currency: 'EUR' },
        project: { id: event.project.id, name: 'Garden' },
        payment_method: { id: card },
        paid_by: { id: user },
        amount: 1500,
        currency: 'EUR',
      },
    ]);
    expect(await chargesOf(event.order.id)).toEqual([expect.objectContaining({ amount: 1500, currency: 'eur', payment_intent: paid.payment_intent_id })]);
  });

  it('reports a declined card with its reason, announces it, and lets a later attempt with a good card pay', async () => {
    const event = await placed();
    const declined = await payer('pm_card_visa_chargeDeclinedInsufficientFunds');
    const error = (await payments.payOrder(event.order.id, declined.card, declined.user).catch((e: unknown) => e)) as PaymentDeclined;
    expect(error).toBeInstanceOf(PaymentDeclined);
    expect(error.reason).toBe('insufficient_funds');
    expect(error.message).toMatch(/insufficient funds/);

    const failed = await payments.getTransactionByOrder(event.order.id);
    expect(failed).toMatchObject({ state: 'failed', attempt: 1, failure_reason: 'insufficient_funds', paid_by: declined.user });
    expect(await announcedAbout('payment_failed', event.order.id)).toEqual([
      { transaction: { id: failed.id }, order: { id: event.order.id }, project: { id: event.project.id }, paid_by: { id: declined.user }, reason: 'insufficient_funds' },
    ]);

    const good = await payer();
    await expect(payments.payOrder(event.order.id, good.card, good.user)).resolves.toMatchObject({ state: 'paid', attempt: 2, paid_by: good.user, failure_reason: null });
    expect(await announcedAbout('payment_taken', event.order.id)).toHaveLength(1);
    expect(await chargesOf(event.order.id)).toHaveLength(1);
  });

  describe('never charging twice', () => {
    it('answers the same call again (a redelivered request) with the payment as it is', async () => {
      const event = await placed();
      const { user, card } = await payer();
      const first = await payments.payOrder(event.order.id, card, user);
      const second = await payments.payOrder(event.order.id, card, user);
      expect(second).toEqual(first);
      expect(await chargesOf(event.order.id)).toHaveLength(1);
      expect(await outboxEvents(running.knex, 'payment_taken', event.order.id)).toHaveLength(1);
    });

    it('answers a retry after a lost reply with the payment the first call made', async () => {
      const event = await placed();
      const { user, card } = await payer();
      const done = workersDone(running.container, 'payOrder', event.order.id);
      const lost = await payments.$with({ timeoutMs: 1 }).payOrder(event.order.id, card, user).catch((e: unknown) => e);
      expect(lost).toBeInstanceOf(RpcTimeout);
      expect((await done)[0]!.error).toBeUndefined(); // the worker paid; only its reply was lost

      await expect(payments.payOrder(event.order.id, card, user)).resolves.toMatchObject({ state: 'paid', attempt: 1 });
      expect(await chargesOf(event.order.id)).toHaveLength(1);
      expect(await outboxEvents(running.knex, 'payment_taken', event.order.id)).toHaveLength(1);
    });

    it('lets exactly one of several simultaneous payments charge', async () => {
      const event = await placed();
      const { user, card } = await payer();
      const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => payments.payOrder(event.order.id, card, user)));
      const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as Error] : []));
      expect(losers.filter((e) => !(e instanceof ConcurrentChange))).toEqual([]);
      const winners = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      expect(winners.length).toBeGreaterThan(0);
      expect(new Set(winners.map((t) => `${t.state} ${t.attempt} ${t.payment_intent_id}`)).size).toBe(1);
      expect(await chargesOf(event.order.id)).toHaveLength(1);
      expect(await outboxEvents(running.knex, 'payment_taken', event.order.id)).toHaveLength(1);
      await expect(payments.getTransactionByOrder(event.order.id)).resolves.toMatchObject({ state: 'paid', attempt: 1 });
    });

    it('lets exactly one of simultaneous payments with different cards charge', async () => {
      const event = await placed();
      const [ann, bob] = [await payer(), await payer('pm_card_mastercard')];
      const outcomes = await Promise.allSettled([
        payments.payOrder(event.order.id, ann.card, ann.user),
        payments.payOrder(event.order.id, bob.card, bob.user),
      ]);
      const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as Error).constructor.name] : []));
      expect(losers.filter((name) => name !== 'ConcurrentChange' && name !== 'BadRequest')).toEqual([]);
      expect(await chargesOf(event.order.id)).toHaveLength(1);
      expect(await outboxEvents(running.knex, 'payment_taken', event.order.id)).toHaveLength(1);
    });

    it('settles an attempt whose worker died after Stripe charged, under the same key, without charging again', async () => {
      const event = await placed();
      const { user, card } = await payer();
      // A worker began attempt 1 and charged, then died before recording what Stripe said.
      const { customer, transaction } = await attemptOnRecord(event.order.id, user, card);
      const stripe = new StripeApi(clientFor({ STRIPE_API_KEY, STRIPE_API_BASE: running.emulator.url }).client);
      const metadata = { transaction_id: transaction.id, order_id: event.order.id, attempt: '1' };
      const charged = await stripe.charge(customer, card, 1500, 'EUR', `txn_${transaction.id}_attempt_1`, metadata);

      // Whoever calls next (here another user, with another card) settles that attempt first.
      const other = await payer();
      const settled = await payments.payOrder(event.order.id, other.card, other.user);
      expect(settled).toMatchObject({ state: 'paid', attempt: 1, paid_by: user, payment_intent_id: charged.paymentIntentId });
      expect(await chargesOf(event.order.id)).toHaveLength(1);
      await expect(payments.payOrder(event.order.id, other.card, other.user)).rejects.toThrow(/already paid/);
    });
  });

  describe('when Stripe cannot be reached', () => {
    afterEach(() => running.stripeLink.up());

    it('says the payment provider is unavailable, charges nothing, leaves the order payable, and charges once when Stripe is back', async () => {
      const event = await placed();
      const { user, card } = await payer();
      await running.stripeLink.down();
      await expect(payments.payOrder(event.order.id, card, user)).rejects.toBeInstanceOf(PaymentProviderUnavailable);
      await expect(payments.getTransactionByOrder(event.order.id)).resolves.toMatchObject({ state: 'awaiting_payment', payment_intent_id: null });
      expect(await chargesOf(event.order.id)).toEqual([]);

      await running.stripeLink.up();
      await expect(payments.payOrder(event.order.id, card, user)).resolves.toMatchObject({ state: 'paid', attempt: 1 });
      expect(await chargesOf(event.order.id)).toHaveLength(1);
      expect(await outboxEvents(running.knex, 'payment_taken', event.order.id)).toHaveLength(1);
    });

    it('says so, within its timeouts, when Stripe takes the request and never answers, charging nothing', async () => {
      const event = await placed();
      const { user, card } = await payer();
      await running.stripeLink.silent();
      const started = Date.now();
      await expect(payments.payOrder(event.order.id, card, user)).rejects.toBeInstanceOf(PaymentProviderUnavailable);
      expect(Date.now() - started).toBeLessThan(8_000); // two tries of STRIPE_TIMEOUT_MS (1 s here) and the SDK's backoff
      expect(await chargesOf(event.order.id)).toEqual([]);

      await running.stripeLink.up();
      await expect(payments.payOrder(event.order.id, card, user)).resolves.toMatchObject({ state: 'paid' });
      expect(await chargesOf(event.order.id)).toHaveLength(1);
    }, 30_000);

    it('charges once when a slow Stripe answers after the timeout and the payment is made again', async () => {
      const event = await placed();
      const { user, card } = await payer();
      await running.stripeLink.slow(1_500); // later than STRIPE_TIMEOUT_MS: the charge may happen, its answer is lost
      await expect(payments.payOrder(event.order.id, card, user)).rejects.toBeInstanceOf(PaymentProviderUnavailable);

      await running.stripeLink.up();
      await expect(payments.payOrder(event.order.id, card, user)).resolves.toMatchObject({ state: 'paid' });
      await new Promise((resolve) => setTimeout(resolve, 2_000)); // anything the slow link still carried has arrived
      expect(await chargesOf(event.order.id)).toHaveLength(1);
    }, 30_000);

    it('keeps an attempt begun before Stripe went away processing, and settles it under its key once Stripe is back', async () => {
      const event = await placed();
      const { user, card } = await payer();
      // The attempt is on record (as paying.ts commits it) before Stripe is asked to charge.
      await attemptOnRecord(event.order.id, user, card);
      await running.stripeLink.down();
      await expect(payments.payOrder(event.order.id, card, user)).rejects.toBeInstanceOf(PaymentProviderUnavailable);
      await expect(payments.getTransactionByOrder(event.order.id)).resolves.toMatchObject({ state: 'processing', attempt: 1, payment_intent_id: null });
      expect(await chargesOf(event.order.id)).toEqual([]);

      await running.stripeLink.up();
      await expect(payments.payOrder(event.order.id, card, user)).resolves.toMatchObject({ state: 'paid', attempt: 1 });
      expect((await chargesOf(event.order.id)).map((charge) => charge.metadata.attempt)).toEqual(['1']);
    });
  });

  it('waits for 3-D Secure with the payment processing, and completes it on confirmation', async () => {
    const event = await placed();
    const { user, card } = await payer('pm_card_authenticationRequired');
    const pending = await payments.payOrder(event.order.id, card, user);
    expect(pending).toMatchObject({ state: 'processing', attempt: 1, payment_intent_id: expect.stringMatching(/^pi_/) });
    await expect(payments.payOrder(event.order.id, card, user)).resolves.toEqual(pending); // a retry: nothing new
    expect(await chargesOf(event.order.id)).toHaveLength(0);
    const other = await payer();
    await expect(payments.payOrder(event.order.id, other.card, other.user)).rejects.toThrow(/awaiting confirmation/);

    const paid = await payments.confirmPaymentIntent(pending.payment_intent_id!);
    expect(paid).toMatchObject({ state: 'paid', attempt: 1, payment_intent_id: pending.payment_intent_id });
    await expect(payments.confirmPaymentIntent(pending.payment_intent_id!)).resolves.toEqual(paid);
    expect(await chargesOf(event.order.id)).toHaveLength(1);
    expect(await announcedAbout('payment_taken', event.order.id)).toHaveLength(1);
  });

  it('refunds a paid order once, recording who asked and why, and announces it', async () => {
    const event = await placed(1500);
    const { user, card } = await payer();
    const paid = await payments.payOrder(event.order.id, card, user);
    const admin = randomUUID();
    const refunded = await payments.refundPayment(event.order.id, 'customer asked', admin);
    expect(refunded).toMatchObject({ id: paid.id, state: 'refunded', payment_intent_id: paid.payment_intent_id });
    await expect(payments.refundPayment(event.order.id, 'asked again', admin)).resolves.toEqual(refunded);

    expect(running.emulator.refunds().filter((r) => r.payment_intent === paid.payment_intent_id)).toEqual([expect.objectContaining({ amount: 1500 })]);
    expect(await running.knex('refunds').where({ transaction_id: paid.id })).toEqual([
      expect.objectContaining({ reason: 'customer asked', actor_id: admin, currency: 'EUR', stripe_refund_id: expect.stringMatching(/^re_/) }),
    ]);
    expect(await announcedAbout('payment_refunded', event.order.id)).toEqual([
      {
        transaction: { id: paid.id },
        order: { id: event.order.id, description: 'Seeds', amount: 1500, currency: 'EUR' },
        project: { id: event.project.id, name: 'Garden' },
        paid_by: { id: user },
        actor: { id: admin },
        reason: 'customer asked',
        amount: 1500,
        currency: 'EUR',
      },
    ]);
    await expect(payments.payOrder(event.order.id, card, user)).rejects.toThrow(/is refunded: it cannot be paid/);
  });

  it('names the error of each refusal', async () => {
    const event = await placed();
    const { user, card } = await payer();
    const stranger = await payer();
    const nobody = randomUUID();
    await expect(payments.payOrder(randomUUID(), card, user)).rejects.toBeInstanceOf(TransactionNotFound);
    await expect(payments.getTransactionByOrder(randomUUID())).rejects.toBeInstanceOf(TransactionNotFound);
    await expect(payments.refundPayment(randomUUID(), 'why', user)).rejects.toBeInstanceOf(TransactionNotFound);
    await expect(payments.confirmPaymentIntent('pi_unknown')).rejects.toBeInstanceOf(TransactionNotFound);
    await expect(payments.payOrder(event.order.id, card, nobody)).rejects.toBeInstanceOf(NotFound); // no customer
    await expect(payments.payOrder(event.order.id, 'pm_nope', user)).rejects.toBeInstanceOf(NotFound);
    await expect(payments.payOrder(event.order.id, stranger.card, user)).rejects.toBeInstanceOf(NotFound); // someone else's card
    await expect(payments.addPaymentMethod(user, 'pm_card_nonsense')).rejects.toBeInstanceOf(NotFound);
    const unpaid = (await payments.refundPayment(event.order.id, 'why', user).catch((e: unknown) => e)) as BadRequest;
    expect(unpaid).toBeInstanceOf(BadRequest);
    expect(unpaid.message).toMatch(/is awaiting_payment: only a paid order can be refunded/);

    await payments.payOrder(event.order.id, card, user);
    const again = (await payments.payOrder(event.order.id, stranger.card, stranger.user).catch((e: unknown) => e)) as BadRequest;
    expect(again).toBeInstanceOf(BadRequest);
    expect(again.message).toBe(`order ${event.order.id} is already paid`);
    expect(again.details).toEqual([{ field: 'orderId', message: again.message }]);
    expect(await chargesOf(event.order.id)).toHaveLength(1);
  });

  it('refuses bad input to every endpoint, naming the field, and writes nothing', async () => {
    const event = await placed();
    const { user, card } = await payer();
    const before = await rowCounts(running.knex);
    const charges = running.emulator.charges().length;
    const attempts: [string, () => Promise<unknown>][] = [
      ['userId', () => payments.listPaymentMethods('me')],
      ['userId', () => payments.addPaymentMethod(42 as never, 'pm_card_visa')],
      ['token', () => payments.addPaymentMethod(user, '4242424242424242')],
      ['token', () => payments.addPaymentMethod(user, undefined as never)],
      ['orderId', () => payments.payOrder("1' OR '1'='1", card, user)],
      ['paymentMethodId', () => payments.payOrder(event.order.id, 'card_123', user)],
      ['paymentMethodId', () => payments.payOrder(event.order.id, `pm_${'x'.repeat(300)}`, user)],
      ['paidBy', () => payments.payOrder(event.order.id, card, null as never)],
      ['paymentIntentId', () => payments.confirmPaymentIntent('ch_123')],
      ['orderId', () => payments.getTransactionByOrder({} as never)],
      ['transactionIds', () => payments.getTransactionsById('all' as never)],
      ['transactionIds', () => payments.getTransactionsById([randomUUID(), 'nope'])],
      ['transactionIds', () => payments.getTransactionsById([...Array(501)].map(() => randomUUID()))],
      ['orderIds', () => payments.getTransactionsByOrderId('all' as never)],
      ['orderIds', () => payments.getTransactionsByOrderId([event.order.id, "1' OR '1'='1"])],
      ['orderIds', () => payments.getTransactionsByOrderId([...Array(501)].map(() => randomUUID()))],
      ['orderId', () => payments.refundPayment('7', 'why', user)],
      ['reason', () => payments.refundPayment(event.order.id, '  ', user)],
      ['reason', () => payments.refundPayment(event.order.id, 'x'.repeat(501), user)],
      ['actorId', () => payments.refundPayment(event.order.id, 'why', 'admin')],
    ];
    for (const [field, attempt] of attempts) {
      const error = (await attempt().catch((e: unknown) => e)) as BadRequest;
      const fields = error instanceof BadRequest ? error.details.map((d) => d.field.split('.')[0]) : [];
      expect({ field, error: error?.constructor.name, fields }).toEqual({ field, error: 'BadRequest', fields: expect.arrayContaining([field]) });
    }
    expect(await rowCounts(running.knex)).toEqual(before);
    expect(running.emulator.charges()).toHaveLength(charges);
    await expect(payments.getTransactionByOrder(event.order.id)).resolves.toMatchObject({ state: 'awaiting_payment', attempt: 0 });
  });

  it('answers a call without an argument it needs with IncorrectSignature', async () => {
    const client = await clients({ uri: running.uri });
    const error = (await client.call('payment', 'payOrder', [randomUUID()]).catch((e: unknown) => e)) as RemoteError;
    expect(error.message).toMatch(/missing 2 required arguments/);
  });

  it('dead-letters an order_placed it cannot read, with the reason, and opens nothing', async () => {
    const before = await rowCounts(running.knex);
    const marker = randomUUID();
    await running.project.dispatch('project', 'order_placed', { order: { id: marker, amount: -5, currency: 'eur' }, project: { id: randomUUID() } });
    const reason = await waitFor('the dead letter', async () => {
      const letters = await inspectDeadLetters(running.project.transport, ORDER_PLACED_QUEUE, 100).catch(() => []);
      return letters.find((letter) => letter.body.includes(marker))?.reason;
    });
    expect(reason).toMatch(/^handler payment\.openTransaction failed 1 time\(s\): BadRequest: /);
    for (const field of ['order.description', 'order.amount', 'order.currency', 'project.name', 'placed_by']) expect(reason).toContain(field);
    expect(await rowCounts(running.knex)).toEqual(before);
  });

  it('has its Stripe dependency translate Stripe’s errors into its own', async () => {
    const stripe = new StripeApi(clientFor({ STRIPE_API_KEY, STRIPE_API_BASE: running.emulator.url }).client);
    const ann = await stripe.ensureCustomer(randomUUID());
    const bob = await stripe.ensureCustomer(randomUUID());
    const failure = (call: Promise<unknown>) => call.then(() => undefined, (e: unknown) => e);
    expect(await failure(stripe.addPaymentMethod(ann, 'pm_nope'))).toBeInstanceOf(StripeNotFound);
    expect(await failure(stripe.listPaymentMethods('cus_nope'))).toBeInstanceOf(StripeNotFound);
    expect(await failure(stripe.charge(ann, 'pm_nope', 1500, 'EUR', randomUUID(), {}))).toBeInstanceOf(StripeNotFound);
    const card = await stripe.addPaymentMethod(ann, 'pm_card_visa');
    expect(await failure(stripe.addPaymentMethod(bob, card.id))).toBeInstanceOf(PaymentMethodError);
    expect(await failure(stripe.charge(bob, card.id, 1500, 'EUR', randomUUID(), {}))).toBeInstanceOf(PaymentMethodError);
    const declined = await stripe.addPaymentMethod(ann, 'pm_card_chargeDeclined');
    const decline = (await failure(stripe.charge(ann, declined.id, 1500, 'EUR', randomUUID(), {}))) as CardDeclined;
    expect(decline).toBeInstanceOf(CardDeclined);
    expect(decline).toMatchObject({ declineCode: 'generic_decline', message: 'Your card was declined.', paymentIntentId: expect.stringMatching(/^pi_/) });
    expect(Object.values(decline).some((value) => value instanceof StripeSdk.errors.StripeError)).toBe(false);
    await expect(stripe.charge(ann, card.id, 1500, 'EUR', 'same-key', {})).resolves.toMatchObject({ status: 'succeeded' });
    await expect(stripe.charge(ann, card.id, 1500, 'EUR', 'same-key', {})).resolves.toMatchObject({ status: 'succeeded' });
  });
});
