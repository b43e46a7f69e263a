// The payment service in a container on the real PostgreSQL and RabbitMQ, charging the Stripe
// emulator through the official SDK, called as facades call it and sent order_placed as the
// project service sends it. All of the service's integration tests live in this one file: two
// files would share the rpc-payment and event queues while using different databases.
import { randomUUID } from 'node:crypto';
import { eventMessage, Forbidden, inspectDeadLetters, NotAuthorized, type RemoteError, RpcTimeout, type ServiceProxy } from '@platform/shimeji';
import { ROLE } from '@platform/schemas';
import { as, ed25519Pair, rpcClientFactory } from '@platform/shimeji/testing';
import StripeSdk from 'stripe';
import { CardDeclined, clientFor, NotFound as StripeNotFound, PaymentMethodError, StripeApi } from '../../src/dependencies/stripe';
import type { PaymentService } from '../../src/service';
import {
  announcedAbout,
  BadRequest,
  ConcurrentChange,
  errors,
  NotFound,
  NotAwaitingAuthentication,
  OrderCancelled,
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
  /** The service as a call without a token reaches it. */
  let payments: ServiceProxy<PaymentService>;
  /** As the support facade calls it for a support agent: the reads. */
  let support: ServiceProxy<PaymentService>;
  /** As the admin facade calls it for the admin `adminId`, who refunds in their own name. */
  let admin: ServiceProxy<PaymentService>;
  const adminId = randomUUID();
  /** As the web facade calls it for the customer `id`. */
  const asCustomer = (id: string) => as({ sub: id, role: ROLE.customer }, payments);

  beforeAll(async () => {
    running = await startPaymentService();
  }, 60_000);

  afterAll(async () => {
    await running.stop();
  });

  beforeEach(async () => {
    payments = (await clients({ uri: running.uri })).service<PaymentService>('payment');
    support = await as({ sub: randomUUID(), role: ROLE.support, audience: 'support' }, payments);
    admin = await as({ sub: adminId, role: ROLE.admin, audience: 'admin' }, payments);
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

  /** A customer with a card added from a Stripe test token, and the service as they call it. */
  async function payer(token = 'pm_card_visa') {
    const user = randomUUID();
    const customer = await asCustomer(user);
    const card = await customer.addPaymentMethod(user, token);
    return { user, card: card.id, customer };
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
  /** Stripe as a test reads it, straight from the emulator: where an intent stands. */
  const stripeClient = () => new StripeSdk(STRIPE_API_KEY, { host: '127.0.0.1', port: running.emulator.port, protocol: 'http', telemetry: false });

  it('opens a transaction awaiting payment when an order is placed, once however often it is announced', async () => {
    const event = orderPlaced(2500, 'GBP');
    const done = workersDone(running.container, 'openTransaction', event.order.id, 3);
    const message = eventMessage('project', 'order_placed', event, {});
    await running.project.transport.publish(message);
    await running.project.transport.publish(message); // a duplicate: the same message id
    await running.project.dispatch('project', 'order_placed', event); // the same order, announced again
    expect((await done).map((outcome) => outcome.error)).toEqual([undefined, undefined, undefined]);

    const transaction = await support.getTransactionByOrder(event.order.id);
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
    await expect(support.getTransactionsById([randomUUID(), transaction.id])).resolves.toEqual([transaction]);
  });

  describe('when the order is cancelled', () => {
    /** Dispatches order_cancelled as the project service does, and waits until payment handled it. */
    async function cancelled(event: ReturnType<typeof orderPlaced>, cancelledBy = event.placed_by.id, reason: string | null = null) {
      const done = workersDone(running.container, 'closeTransaction', event.order.id);
      await running.project.dispatch('project', 'order_cancelled', { order: { ...event.order, status: 'cancelled' }, project: { id: event.project.id }, cancelled_by: { id: cancelledBy }, reason });
      expect((await done)[0]!.error).toBeUndefined();
    }

    it('closes its transaction, and refuses to pay it afterwards with OrderCancelled, charging nothing', async () => {
      const event = await placed();
      await cancelled(event);
      await expect(support.getTransactionByOrder(event.order.id)).resolves.toMatchObject({ state: 'cancelled', attempt: 0 });
      const { user, card, customer } = await payer();
      await expect(customer.payOrder(event.order.id, card, user)).rejects.toBeInstanceOf(OrderCancelled);
      expect(await chargesOf(event.order.id)).toEqual([]);
    });

    it('gives up a payment awaiting 3-D Secure and closes the transaction, so the authentication can take no money', async () => {
      const event = await placed();
      const { user, card, customer } = await payer('pm_card_authenticationRequired');
      const waiting = await customer.payOrder(event.order.id, card, user);
      expect(waiting).toMatchObject({ state: 'processing', payment_intent_id: expect.stringMatching(/^pi_/) });
      await cancelled(event);
      await expect(support.getTransactionByOrder(event.order.id)).resolves.toMatchObject({ state: 'cancelled', failure_reason: 'order_cancelled' });
      await expect(customer.confirmPaymentIntent(waiting.payment_intent_id!, user)).rejects.toThrow();
      expect(await chargesOf(event.order.id)).toEqual([]);
    });

    it('refunds a payment that went through before payment heard of it, once however often it is announced', async () => {
      const event = await placed();
      const { user, card, customer } = await payer();
      await customer.payOrder(event.order.id, card, user);
      await cancelled(event, adminId, 'duplicate order');
      await cancelled(event, adminId, 'duplicate order');
      await expect(support.getTransactionByOrder(event.order.id)).resolves.toMatchObject({ state: 'refunded' });
      const [charge] = await chargesOf(event.order.id);
      expect(running.emulator.refunds().filter((r) => r.charge === charge!.id)).toEqual([expect.objectContaining({ amount: 1500 })]);
      expect(await announcedAbout('payment_refunded', event.order.id)).toEqual([expect.objectContaining({ reason: 'duplicate order', actor: { id: adminId } })]);
    });
  });

  it('reads the transactions of many orders in one call, as each stands, leaving out orders it has not heard of', async () => {
    const unpaid = await placed(900);
    const paid = await placed(2500);
    const { user, card, customer } = await payer();
    await customer.payOrder(paid.order.id, card, user);
    const asked = [paid.order.id, randomUUID(), unpaid.order.id, paid.order.id];
    const found = await support.getTransactionsByOrderId(asked);
    expect(found).toEqual([await support.getTransactionByOrder(paid.order.id), await support.getTransactionByOrder(unpaid.order.id)]);
    expect(found.map((t) => [t.state, t.amount])).toEqual([
      ['paid', 2500],
      ['awaiting_payment', 900],
    ]);
    await expect(support.getTransactionsByOrderId([randomUUID()])).resolves.toEqual([]);
    await expect(support.getTransactionsByOrderId([])).resolves.toEqual([]);
  });

  it('adds cards, making the user a Stripe customer once, and lists them newest first', async () => {
    const user = randomUUID();
    const customer = await asCustomer(user);
    await expect(customer.listPaymentMethods(user)).resolves.toEqual([]);
    const visa = await customer.addPaymentMethod(user, 'pm_card_visa');
    expect(visa).toEqual({ id: expect.stringMatching(/^pm_/), brand: 'visa', last4: '4242', exp_month: 12, exp_year: expect.any(Number) });
    const mastercard = await customer.addPaymentMethod(user, 'pm_card_mastercard');
    await expect(customer.listPaymentMethods(user)).resolves.toEqual([mastercard, visa]);
    await expect(support.listPaymentMethods(user)).resolves.toEqual([mastercard, visa]);
    expect(await running.knex('customers').where({ user_id: user })).toHaveLength(1);
  });

  it('takes the payment and announces it with what project and messaging need', async () => {
    const event = await placed(1500);
    const { user, card, customer } = await payer();
    const paid = await customer.payOrder(event.order.id, card, user);
    expect(paid).toMatchObject({ state: 'paid', attempt: 1, paid_by: user, payment_method_id: card, payment_intent_id: expect.stringMatching(/^pi_/) });
    await expect(support.getTransactionByOrder(event.order.id)).resolves.toEqual(paid);

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
    const error = (await declined.customer.payOrder(event.order.id, declined.card, declined.user).catch((e: unknown) => e)) as PaymentDeclined;
    expect(error).toBeInstanceOf(PaymentDeclined);
    expect(error.reason).toBe('insufficient_funds');
    expect(error.message).toMatch(/insufficient funds/);

    const failed = await support.getTransactionByOrder(event.order.id);
    expect(failed).toMatchObject({ state: 'failed', attempt: 1, failure_reason: 'insufficient_funds', paid_by: declined.user });
    expect(await announcedAbout('payment_failed', event.order.id)).toEqual([
      { transaction: { id: failed.id }, order: { id: event.order.id }, project: { id: event.project.id }, paid_by: { id: declined.user }, reason: 'insufficient_funds' },
    ]);

    const good = await payer();
    await expect(good.customer.payOrder(event.order.id, good.card, good.user)).resolves.toMatchObject({ state: 'paid', attempt: 2, paid_by: good.user, failure_reason: null });
    expect(await announcedAbout('payment_taken', event.order.id)).toHaveLength(1);
    expect(await chargesOf(event.order.id)).toHaveLength(1);
  });

  describe('never charging twice', () => {
    it('answers the same call again (a redelivered request) with the payment as it is', async () => {
      const event = await placed();
      const { user, card, customer } = await payer();
      const first = await customer.payOrder(event.order.id, card, user);
      const second = await customer.payOrder(event.order.id, card, user);
      expect(second).toEqual(first);
      expect(await chargesOf(event.order.id)).toHaveLength(1);
      expect(await outboxEvents(running.knex, 'payment_taken', event.order.id)).toHaveLength(1);
    });

    it('answers a retry after a lost reply with the payment the first call made', async () => {
      const event = await placed();
      const { user, card, customer } = await payer();
      const done = workersDone(running.container, 'payOrder', event.order.id);
      const lost = await customer.$with({ timeoutMs: 1 }).payOrder(event.order.id, card, user).catch((e: unknown) => e);
      expect(lost).toBeInstanceOf(RpcTimeout);
      expect((await done)[0]!.error).toBeUndefined(); // the worker paid; only its reply was lost

      await expect(customer.payOrder(event.order.id, card, user)).resolves.toMatchObject({ state: 'paid', attempt: 1 });
      expect(await chargesOf(event.order.id)).toHaveLength(1);
      expect(await outboxEvents(running.knex, 'payment_taken', event.order.id)).toHaveLength(1);
    });

    it('lets exactly one of several simultaneous payments charge', async () => {
      const event = await placed();
      const { user, card, customer } = await payer();
      const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => customer.payOrder(event.order.id, card, user)));
      const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as Error] : []));
      expect(losers.filter((e) => !(e instanceof ConcurrentChange))).toEqual([]);
      const winners = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      expect(winners.length).toBeGreaterThan(0);
      expect(new Set(winners.map((t) => `${t.state} ${t.attempt} ${t.payment_intent_id}`)).size).toBe(1);
      expect(await chargesOf(event.order.id)).toHaveLength(1);
      expect(await outboxEvents(running.knex, 'payment_taken', event.order.id)).toHaveLength(1);
      await expect(support.getTransactionByOrder(event.order.id)).resolves.toMatchObject({ state: 'paid', attempt: 1 });
    });

    it('lets exactly one of simultaneous payments with different cards charge', async () => {
      const event = await placed();
      const [ann, bob] = [await payer(), await payer('pm_card_mastercard')];
      const outcomes = await Promise.allSettled([
        ann.customer.payOrder(event.order.id, ann.card, ann.user),
        bob.customer.payOrder(event.order.id, bob.card, bob.user),
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
      const { customer: stripeCustomer, transaction } = await attemptOnRecord(event.order.id, user, card);
      const stripe = new StripeApi(clientFor({ STRIPE_API_KEY, STRIPE_API_BASE: running.emulator.url }).client);
      const metadata = { transaction_id: transaction.id, order_id: event.order.id, attempt: '1' };
      const charged = await stripe.charge(stripeCustomer, card, 1500, 'EUR', `txn_${transaction.id}_attempt_1`, metadata);

      // Whoever calls next (here another user, with another card) settles that attempt first.
      const other = await payer();
      const settled = await other.customer.payOrder(event.order.id, other.card, other.user);
      expect(settled).toMatchObject({ state: 'paid', attempt: 1, paid_by: user, payment_intent_id: charged.paymentIntentId });
      expect(await chargesOf(event.order.id)).toHaveLength(1);
      await expect(other.customer.payOrder(event.order.id, other.card, other.user)).rejects.toThrow(/already paid/);
    });
  });

  describe('when Stripe cannot be reached', () => {
    afterEach(() => running.stripeLink.up());

    it('says the payment provider is unavailable, charges nothing, leaves the order payable, and charges once when Stripe is back', async () => {
      const event = await placed();
      const { user, card, customer } = await payer();
      await running.stripeLink.down();
      await expect(customer.payOrder(event.order.id, card, user)).rejects.toBeInstanceOf(PaymentProviderUnavailable);
      await expect(support.getTransactionByOrder(event.order.id)).resolves.toMatchObject({ state: 'awaiting_payment', payment_intent_id: null });
      expect(await chargesOf(event.order.id)).toEqual([]);

      await running.stripeLink.up();
      await expect(customer.payOrder(event.order.id, card, user)).resolves.toMatchObject({ state: 'paid', attempt: 1 });
      expect(await chargesOf(event.order.id)).toHaveLength(1);
      expect(await outboxEvents(running.knex, 'payment_taken', event.order.id)).toHaveLength(1);
    });

    it('says so, within its timeouts, when Stripe takes the request and never answers, charging nothing', async () => {
      const event = await placed();
      const { user, card, customer } = await payer();
      await running.stripeLink.silent();
      const started = Date.now();
      await expect(customer.payOrder(event.order.id, card, user)).rejects.toBeInstanceOf(PaymentProviderUnavailable);
      expect(Date.now() - started).toBeLessThan(8_000); // two tries of STRIPE_TIMEOUT_MS (1 s here) and the SDK's backoff
      expect(await chargesOf(event.order.id)).toEqual([]);

      await running.stripeLink.up();
      await expect(customer.payOrder(event.order.id, card, user)).resolves.toMatchObject({ state: 'paid' });
      expect(await chargesOf(event.order.id)).toHaveLength(1);
    }, 30_000);

    it('charges once when a slow Stripe answers after the timeout and the payment is made again', async () => {
      const event = await placed();
      const { user, card, customer } = await payer();
      await running.stripeLink.slow(1_500); // later than STRIPE_TIMEOUT_MS: the charge may happen, its answer is lost
      await expect(customer.payOrder(event.order.id, card, user)).rejects.toBeInstanceOf(PaymentProviderUnavailable);

      await running.stripeLink.up();
      await expect(customer.payOrder(event.order.id, card, user)).resolves.toMatchObject({ state: 'paid' });
      await new Promise((resolve) => setTimeout(resolve, 2_000)); // anything the slow link still carried has arrived
      expect(await chargesOf(event.order.id)).toHaveLength(1);
    }, 30_000);

    it('keeps an attempt begun before Stripe went away processing, and settles it under its key once Stripe is back', async () => {
      const event = await placed();
      const { user, card, customer } = await payer();
      // The attempt is on record (as paying.ts commits it) before Stripe is asked to charge.
      await attemptOnRecord(event.order.id, user, card);
      await running.stripeLink.down();
      await expect(customer.payOrder(event.order.id, card, user)).rejects.toBeInstanceOf(PaymentProviderUnavailable);
      await expect(support.getTransactionByOrder(event.order.id)).resolves.toMatchObject({ state: 'processing', attempt: 1, payment_intent_id: null });
      expect(await chargesOf(event.order.id)).toEqual([]);

      await running.stripeLink.up();
      await expect(customer.payOrder(event.order.id, card, user)).resolves.toMatchObject({ state: 'paid', attempt: 1 });
      expect((await chargesOf(event.order.id)).map((charge) => charge.metadata.attempt)).toEqual(['1']);
    });
  });

  it('waits for 3-D Secure with the payment processing, and completes it on confirmation', async () => {
    const event = await placed();
    const { user, card, customer } = await payer('pm_card_authenticationRequired');
    const pending = await customer.payOrder(event.order.id, card, user);
    expect(pending).toMatchObject({ state: 'processing', attempt: 1, payment_intent_id: expect.stringMatching(/^pi_/) });
    await expect(customer.payOrder(event.order.id, card, user)).resolves.toEqual(pending); // a retry: nothing new
    expect(await chargesOf(event.order.id)).toHaveLength(0);
    const other = await payer();
    await expect(other.customer.payOrder(event.order.id, other.card, other.user)).rejects.toThrow(/awaiting confirmation/);

    const paid = await customer.confirmPaymentIntent(pending.payment_intent_id!, user);
    expect(paid).toMatchObject({ state: 'paid', attempt: 1, payment_intent_id: pending.payment_intent_id });
    await expect(customer.confirmPaymentIntent(pending.payment_intent_id!, user)).resolves.toEqual(paid);
    expect(await chargesOf(event.order.id)).toHaveLength(1);
    expect(await announcedAbout('payment_taken', event.order.id)).toHaveLength(1);
  });

  it('hands a payment needing 3-D Secure to the payer’s client, requires_action, and pays it once confirmed', async () => {
    const event = await placed();
    const { user, card, customer } = await payer('pm_card_authenticationRequired');
    const pending = await customer.payOrder(event.order.id, card, user);
    const intent = await stripeClient().paymentIntents.retrieve(pending.payment_intent_id!);
    expect(intent.status).toBe('requires_action');
    expect(pending).toMatchObject({ state: 'processing', client_secret: intent.client_secret, next_action: { type: 'use_stripe_sdk' } });
    const stranger = await payer();
    await expect(stranger.customer.confirmPaymentIntent(pending.payment_intent_id!, stranger.user)).rejects.toBeInstanceOf(TransactionNotFound);

    const paid = await customer.confirmPaymentIntent(pending.payment_intent_id!, user);
    expect(paid).toMatchObject({ state: 'paid', client_secret: null, next_action: null });
    expect((await stripeClient().paymentIntents.retrieve(pending.payment_intent_id!)).status).toBe('succeeded');
    expect(await chargesOf(event.order.id)).toHaveLength(1);
  });

  it('replaces an abandoned authentication by another card, cancelling it at Stripe, and charges once', async () => {
    const event = await placed();
    const { user, card, customer } = await payer('pm_card_authenticationRequired');
    const visa = await customer.addPaymentMethod(user, 'pm_card_visa');
    const pending = await customer.payOrder(event.order.id, card, user);
    await expect(customer.abandonPayment(event.order.id, randomUUID())).rejects.toBeInstanceOf(Forbidden); // in someone else's name

    const abandoned = await customer.abandonPayment(event.order.id, user);
    expect(abandoned).toMatchObject({ state: 'failed', failure_reason: 'authentication_abandoned', client_secret: null });
    await expect(customer.abandonPayment(event.order.id, user)).resolves.toEqual(abandoned);
    expect((await stripeClient().paymentIntents.retrieve(pending.payment_intent_id!)).status).toBe('canceled');
    await expect(customer.confirmPaymentIntent(pending.payment_intent_id!, user)).rejects.toBeInstanceOf(NotAwaitingAuthentication);

    const paid = await customer.payOrder(event.order.id, visa.id, user);
    expect(paid).toMatchObject({ state: 'paid', attempt: 2, payment_method_id: visa.id });
    expect(await chargesOf(event.order.id)).toEqual([expect.objectContaining({ payment_method: visa.id })]);
    expect(await announcedAbout('payment_failed', event.order.id)).toEqual([expect.objectContaining({ reason: 'authentication_abandoned' })]);
    expect(await announcedAbout('payment_taken', event.order.id)).toHaveLength(1);
    await expect(customer.abandonPayment(event.order.id, user)).rejects.toThrow(/is paid: no payment of it awaits authentication/);
  });

  it('refuses another card while the payer may still authenticate, naming the timeout, and replaces it after', async () => {
    const event = await placed();
    const { user, card, customer } = await payer('pm_card_authenticationRequired');
    const visa = await customer.addPaymentMethod(user, 'pm_card_visa');
    const pending = await customer.payOrder(event.order.id, card, user);
    await expect(customer.payOrder(event.order.id, visa.id, user)).rejects.toThrow(/PAYMENT_AUTHENTICATION_TIMEOUT \(10m\)/);

    // Eleven minutes later, as the row tells it: the payer never came back.
    const elevenMinutesAgo = new Date(Date.now() - 11 * 60_000);
    await running.knex('transactions').where({ id: pending.id }).update({ authentication_started_at: elevenMinutesAgo });
    const paid = await customer.payOrder(event.order.id, visa.id, user);
    expect(paid).toMatchObject({ state: 'paid', attempt: 2, payment_method_id: visa.id });
    expect((await stripeClient().paymentIntents.retrieve(pending.payment_intent_id!)).status).toBe('canceled');
    expect(await chargesOf(event.order.id)).toEqual([expect.objectContaining({ payment_method: visa.id })]);
    expect(await announcedAbout('payment_failed', event.order.id)).toEqual([expect.objectContaining({ reason: 'authentication_timed_out' })]);
  });

  it('returns the card already attached when the same token is added again', async () => {
    const { user, card, customer } = await payer('pm_card_visa');
    await expect(customer.addPaymentMethod(user, 'pm_card_visa')).resolves.toMatchObject({ id: card, brand: 'visa', last4: '4242' });
    expect((await customer.listPaymentMethods(user)).map((c) => c.id)).toEqual([card]);
    await expect(customer.addPaymentMethod(user, 'pm_card_mastercard')).resolves.not.toMatchObject({ id: card });
  });

  it('attaches a card once when the same token is added five times at once', async () => {
    const { user, customer } = await payer('pm_card_mastercard');
    const added = await Promise.all([...Array(5)].map(() => customer.addPaymentMethod(user, 'pm_card_visa')));
    expect(new Set(added.map((c) => c.id)).size).toBe(1);
    const cards = await customer.listPaymentMethods(user);
    expect(cards.filter((c) => c.last4 === '4242')).toEqual([expect.objectContaining({ id: added[0]!.id })]);
    expect(await running.knex('payment_methods').where({ user_id: user, token: 'pm_card_visa' })).toHaveLength(1);
  }, 30_000);

  it('refunds a paid order once, recording who asked and why, and announces it', async () => {
    const event = await placed(1500);
    const { user, card, customer } = await payer();
    const paid = await customer.payOrder(event.order.id, card, user);
    const refunded = await admin.refundPayment(event.order.id, 'customer asked', adminId);
    expect(refunded).toMatchObject({ id: paid.id, state: 'refunded', payment_intent_id: paid.payment_intent_id });
    await expect(admin.refundPayment(event.order.id, 'asked again', adminId)).resolves.toEqual(refunded);

    expect(running.emulator.refunds().filter((r) => r.payment_intent === paid.payment_intent_id)).toEqual([expect.objectContaining({ amount: 1500 })]);
    expect(await running.knex('refunds').where({ transaction_id: paid.id })).toEqual([
      expect.objectContaining({ reason: 'customer asked', actor_id: adminId, currency: 'EUR', stripe_refund_id: expect.stringMatching(/^re_/) }),
    ]);
    expect(await announcedAbout('payment_refunded', event.order.id)).toEqual([
      {
        transaction: { id: paid.id },
        order: { id: event.order.id, description: 'Seeds', amount: 1500, currency: 'EUR' },
        project: { id: event.project.id, name: 'Garden' },
        paid_by: { id: user },
        actor: { id: adminId },
        reason: 'customer asked',
        amount: 1500,
        currency: 'EUR',
      },
    ]);
    await expect(customer.payOrder(event.order.id, card, user)).rejects.toThrow(/is refunded: it cannot be paid/);
  });

  it('names the error of each refusal', async () => {
    const event = await placed();
    const { user, card, customer } = await payer();
    const stranger = await payer();
    const nobody = randomUUID();
    await expect(customer.payOrder(randomUUID(), card, user)).rejects.toBeInstanceOf(TransactionNotFound);
    await expect(support.getTransactionByOrder(randomUUID())).rejects.toBeInstanceOf(TransactionNotFound);
    await expect(admin.refundPayment(randomUUID(), 'why', adminId)).rejects.toBeInstanceOf(TransactionNotFound);
    await expect(customer.confirmPaymentIntent('pi_unknown', user)).rejects.toBeInstanceOf(TransactionNotFound);
    await expect((await asCustomer(nobody)).payOrder(event.order.id, card, nobody)).rejects.toBeInstanceOf(NotFound); // no customer
    await expect(customer.payOrder(event.order.id, 'pm_nope', user)).rejects.toBeInstanceOf(NotFound);
    await expect(customer.payOrder(event.order.id, stranger.card, user)).rejects.toBeInstanceOf(NotFound); // someone else's card
    await expect(customer.addPaymentMethod(user, 'pm_card_nonsense')).rejects.toBeInstanceOf(NotFound);
    const unpaid = (await admin.refundPayment(event.order.id, 'why', adminId).catch((e: unknown) => e)) as BadRequest;
    expect(unpaid).toBeInstanceOf(BadRequest);
    expect(unpaid.message).toMatch(/is awaiting_payment: only a paid order can be refunded/);

    await customer.payOrder(event.order.id, card, user);
    const again = (await stranger.customer.payOrder(event.order.id, stranger.card, stranger.user).catch((e: unknown) => e)) as BadRequest;
    expect(again).toBeInstanceOf(BadRequest);
    expect(again.message).toBe(`order ${event.order.id} is already paid`);
    expect(again.details).toEqual([{ field: 'orderId', message: again.message }]);
    expect(await chargesOf(event.order.id)).toHaveLength(1);
  });

  it('refuses bad input to every endpoint, naming the field, and writes nothing', async () => {
    const event = await placed();
    const { user, card, customer } = await payer();
    const before = await rowCounts(running.knex);
    const charges = running.emulator.charges().length;
    const attempts: [string, () => Promise<unknown>][] = [
      ['userId', () => support.listPaymentMethods('me')],
      ['token', () => customer.addPaymentMethod(user, '4242424242424242')],
      ['token', () => customer.addPaymentMethod(user, undefined as never)],
      ['orderId', () => customer.payOrder("1' OR '1'='1", card, user)],
      ['paymentMethodId', () => customer.payOrder(event.order.id, 'card_123', user)],
      ['paymentMethodId', () => customer.payOrder(event.order.id, `pm_${'x'.repeat(300)}`, user)],
      ['paidBy', () => admin.payOrder(event.order.id, card, null as never)], // an admin pays for whom they name
      ['paymentIntentId', () => customer.confirmPaymentIntent('ch_123', user)],
      ['orderId', () => support.getTransactionByOrder({} as never)],
      ['transactionIds', () => support.getTransactionsById('all' as never)],
      ['transactionIds', () => support.getTransactionsById([randomUUID(), 'nope'])],
      ['transactionIds', () => support.getTransactionsById([...Array(501)].map(() => randomUUID()))],
      ['orderIds', () => support.getTransactionsByOrderId('all' as never)],
      ['orderIds', () => support.getTransactionsByOrderId([event.order.id, "1' OR '1'='1"])],
      ['orderIds', () => support.getTransactionsByOrderId([...Array(501)].map(() => randomUUID()))],
      ['orderId', () => admin.refundPayment('7', 'why', adminId)],
      ['reason', () => admin.refundPayment(event.order.id, '  ', adminId)],
      ['reason', () => admin.refundPayment(event.order.id, 'x'.repeat(501), adminId)],
    ];
    for (const [field, attempt] of attempts) {
      const error = (await attempt().catch((e: unknown) => e)) as BadRequest;
      const fields = error instanceof BadRequest ? error.details.map((d) => d.field.split('.')[0]) : [];
      expect({ field, error: error?.constructor.name, fields }).toEqual({ field, error: 'BadRequest', fields: expect.arrayContaining([field]) });
    }
    expect(await rowCounts(running.knex)).toEqual(before);
    expect(running.emulator.charges()).toHaveLength(charges);
    await expect(support.getTransactionByOrder(event.order.id)).resolves.toMatchObject({ state: 'awaiting_payment', attempt: 0 });
  });

  it('refuses a call without a valid token with NotAuthorized, and charges and writes nothing', async () => {
    const event = await placed();
    const { user, card, customer } = await payer();
    const before = await rowCounts(running.knex);
    const charges = running.emulator.charges().length;
    const forged = await as({ sub: user, role: ROLE.customer, privateKey: ed25519Pair().privateKey }, payments);
    const expired = await as({ sub: adminId, role: ROLE.admin, audience: 'admin', ttlMs: -60_000 }, payments);
    const attempts = [
      () => payments.payOrder(event.order.id, card, user),
      () => payments.addPaymentMethod(user, 'pm_card_mastercard'),
      () => payments.listPaymentMethods(user),
      () => payments.getTransactionByOrder(event.order.id),
      () => forged.payOrder(event.order.id, card, user),
      () => expired.payOrder(event.order.id, card, user),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(NotAuthorized);
    expect(await rowCounts(running.knex)).toEqual(before);
    expect(running.emulator.charges()).toHaveLength(charges);
    await expect(customer.payOrder(event.order.id, card, user)).resolves.toMatchObject({ state: 'paid' });
    await expect(payments.refundPayment(event.order.id, 'no token', adminId)).rejects.toBeInstanceOf(NotAuthorized);
    await expect(support.getTransactionByOrder(event.order.id)).resolves.toMatchObject({ state: 'paid' });
  });

  it('lets a customer pay, add cards and read only in their own name, and only an admin refund, answering Forbidden', async () => {
    const event = await placed();
    const ann = await payer();
    const bob = await payer('pm_card_mastercard');
    const before = await rowCounts(running.knex);
    const charges = running.emulator.charges().length;
    const attempts = [
      () => bob.customer.payOrder(event.order.id, ann.card, ann.user), // Ann's card, in Ann's name
      () => bob.customer.addPaymentMethod(ann.user, 'pm_card_visa'),
      () => bob.customer.listPaymentMethods(ann.user),
      () => bob.customer.getTransactionByOrder(event.order.id),
      () => bob.customer.refundPayment(event.order.id, 'I want it back', bob.user),
      () => support.refundPayment(event.order.id, 'support cannot', randomUUID()),
      () => support.payOrder(event.order.id, ann.card, ann.user),
      () => admin.refundPayment(event.order.id, 'in another admin’s name', randomUUID()),
      () => admin.addPaymentMethod(ann.user, 'pm_card_visa'), // a card is added by its holder only
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(Forbidden);
    expect(await rowCounts(running.knex)).toEqual(before);
    expect(running.emulator.charges()).toHaveLength(charges);

    // An admin may take the payment with a customer's card, in the customer's name.
    await expect(admin.payOrder(event.order.id, ann.card, ann.user)).resolves.toMatchObject({ state: 'paid', paid_by: ann.user });
    await expect(bob.customer.refundPayment(event.order.id, 'still not mine', bob.user)).rejects.toBeInstanceOf(Forbidden);
    await expect(support.getTransactionByOrder(event.order.id)).resolves.toMatchObject({ state: 'paid' });
  });

  it('serves a service acting on its own the reads, and takes no payment from it', async () => {
    const event = await placed();
    const project = await as({ service: 'project' }, payments);
    await expect(project.getTransactionsByOrderId([event.order.id])).resolves.toEqual([expect.objectContaining({ order_id: event.order.id })]);
    const { card } = await payer();
    await expect(project.payOrder(event.order.id, card, randomUUID())).rejects.toBeInstanceOf(Forbidden);
  });

  it('answers a call without an argument it needs with IncorrectSignature', async () => {
    const client = await clients({ uri: running.uri, contextData: await as({ sub: randomUUID(), role: ROLE.customer }) });
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
