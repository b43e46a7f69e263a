// The payment service: entrypoints only. Each validates its arguments, works through the
// collections and the Stripe wrapper, translates their expected exceptions into this service's
// own, and dumps its reply (and its events) through a schema.
//
// Never charging twice: every Stripe call that moves money carries an idempotency key derived
// from the transaction (`txn_<id>_attempt_<n>`, `refund_<id>`), and an attempt is on record
// (`processing`, its number, payer and card) before Stripe is called (dependencies/attempts.ts).
import { randomUUID } from 'node:crypto';
import { OutboxDispatcher } from '@platform/db';
import { dump, validate } from '@platform/schemas';
import { eventHandler, inject, rpc, service, WorkerLogger } from '@platform/shimeji';
import { PaymentAttempts } from './dependencies/attempts';
import { type CustomerRow, type Outcome, paymentDatabase, type TransactionRow } from './dependencies/db';
import { type Payment, Stripe } from './dependencies/stripe';
import * as exc from './exceptions';
import * as schemas from './schemas';
import { canAttemptPayment, canMove } from './states';

export const PAYMENT_TAKEN = 'payment_taken';
export const PAYMENT_FAILED = 'payment_failed';
export const PAYMENT_REFUNDED = 'payment_refunded';

export const PROJECT_SERVICE = 'project';
export const ORDER_PLACED = 'order_placed';

/** The reason given when Stripe refused the payment method itself while charging. */
const PAYMENT_METHOD_UNAVAILABLE = 'payment_method_unavailable';

const expected = [exc.BadRequest, exc.NotFound, exc.TransactionNotFound, exc.PaymentDeclined, exc.ConcurrentChange];

const toTransaction = (row: TransactionRow): schemas.Transaction => dump(schemas.Transaction, row);

/** The keys Stripe knows an attempt, its confirmation and a refund by: the same call, the same key. */
const keys = {
  charge: (t: TransactionRow) => `txn_${t.id}_attempt_${t.attempt}`,
  confirm: (t: TransactionRow) => `txn_${t.id}_attempt_${t.attempt}_confirm`,
  refund: (t: TransactionRow) => `refund_${t.id}`,
};

/** The same payer with the same payment method: a retry of the payment, not a new one. */
const isSamePayment = (t: TransactionRow, args: { paidBy: string; paymentMethodId: string }): boolean =>
  t.paid_by === args.paidBy && t.payment_method_id === args.paymentMethodId;

/** Why a transaction cannot be paid now, naming its state. */
function cannotPay(t: TransactionRow): exc.BadRequest {
  const message =
    t.state === 'paid'
      ? `order ${t.order_id} is already paid`
      : t.state === 'processing'
        ? `order ${t.order_id} has a payment awaiting confirmation (payment intent ${t.payment_intent_id}): confirm it, or wait`
        : `order ${t.order_id} is ${t.state}: it cannot be paid`;
  return new exc.BadRequest(message, [{ field: 'orderId', message }]);
}

@service('payment')
export class PaymentService {
  db = inject(paymentDatabase());
  attempts = inject(new PaymentAttempts());
  dispatch = inject(new OutboxDispatcher());
  stripe = inject(new Stripe());
  log = inject(new WorkerLogger());

  /** An order was placed: its transaction opens, awaiting payment; once, however often the event comes. */
  @eventHandler(PROJECT_SERVICE, ORDER_PLACED)
  async openTransaction(payload: unknown): Promise<void> {
    const { order, project } = validate(schemas.OrderPlaced, payload, exc.BadRequest);
    const opened = await this.db.transactions.open({
      id: randomUUID(),
      order_id: order.id,
      project_id: project.id,
      project_name: project.name,
      description: order.description,
      amount: order.amount,
      currency: order.currency,
    });
    if (!opened) this.log.info({ orderId: order.id }, 'order placed again: its transaction is open already');
  }

  /** The user's saved cards, newest first; none for a user who never added one. */
  @rpc({ expectedExceptions: expected })
  async listPaymentMethods(userId: string): Promise<schemas.PaymentMethod[]> {
    const args = validate(schemas.ListPaymentMethods, { userId }, exc.BadRequest);
    const customer = await this.customerOf(args.userId);
    if (!customer) return [];
    return dump(schemas.PaymentMethods, await this.fromStripe(() => this.stripe.listPaymentMethods(customer.stripe_customer_id)));
  }

  /** Saves a card for the user (`token`: from Stripe.js, or a test one such as pm_card_visa); the first makes them a Stripe customer. */
  @rpc({ expectedExceptions: expected })
  async addPaymentMethod(userId: string, token: string): Promise<schemas.PaymentMethod> {
    const args = validate(schemas.AddPaymentMethod, { userId, token }, exc.BadRequest);
    let customer = await this.customerOf(args.userId);
    if (!customer) {
      const made = await this.fromStripe(() => this.stripe.ensureCustomer(args.userId));
      customer = await this.db.customers.add(args.userId, made);
    }
    const customerId = customer.stripe_customer_id;
    const card = await this.fromStripe(() => this.stripe.addPaymentMethod(customerId, args.token), { field: 'token', notFound: `no payment method ${args.token}` });
    return dump(schemas.PaymentMethod, card);
  }

  /**
   * Charges the order's amount to one of the payer's cards. `processing` with a payment intent
   * when the card needs 3-D Secure (then confirmPaymentIntent); PaymentDeclined when declined.
   * The same call again (a retry, a lost reply) returns the payment as it stands, charging
   * nothing; an attempt begun and never settled is sent again under its own key first.
   */
  @rpc({ expectedExceptions: expected })
  async payOrder(orderId: string, paymentMethodId: string, paidBy: string): Promise<schemas.Transaction> {
    const args = validate(schemas.PayOrder, { orderId, paymentMethodId, paidBy }, exc.BadRequest);
    const current = await this.found(() => this.attempts.getTransactionByOrderId(args.orderId), () => new exc.TransactionNotFound(`no transaction for order ${args.orderId}`));
    if (current.state === 'processing' && !current.payment_intent_id) return this.settle(current);
    if ((current.state === 'paid' || current.state === 'processing') && isSamePayment(current, args)) return toTransaction(current);
    if (!canAttemptPayment(current.state)) throw cannotPay(current);

    const noSuchCard = () => new exc.NotFound(`user ${args.paidBy} has no payment method ${args.paymentMethodId}`);
    const customer = await this.found(() => this.attempts.getCustomer(args.paidBy), noSuchCard);
    const cards = await this.fromStripe(() => this.stripe.listPaymentMethods(customer.stripe_customer_id));
    if (!cards.some((card) => card.id === args.paymentMethodId)) throw noSuchCard();
    const payer = { paid_by: args.paidBy, payment_method_id: args.paymentMethodId, stripe_customer_id: customer.stripe_customer_id };
    const attempt = await this.attempts.begin(current, payer).catch((error: unknown) => {
      if (error instanceof this.attempts.ConcurrencyConflict) throw new exc.ConcurrentChange(`order ${args.orderId} is being paid by another call; read it again`);
      throw error;
    });
    return this.settle(attempt);
  }

  /** Completes a payment that required action (3-D Secure): paid, or PaymentDeclined. A paid one is returned as it is. */
  @rpc({ expectedExceptions: expected })
  async confirmPaymentIntent(paymentIntentId: string): Promise<schemas.Transaction> {
    const args = validate(schemas.ConfirmPaymentIntent, { paymentIntentId }, exc.BadRequest);
    const current = await this.found(
      () => this.db.transactions.getByPaymentIntentId(args.paymentIntentId),
      () => new exc.TransactionNotFound(`no transaction with payment intent ${args.paymentIntentId}`),
    );
    if (current.state === 'paid' || current.state === 'refunded') return toTransaction(current);
    if (current.state !== 'processing') {
      const message = `payment intent ${args.paymentIntentId} of order ${current.order_id} is ${current.state}: it cannot be confirmed`;
      throw new exc.BadRequest(message, [{ field: 'paymentIntentId', message }]);
    }
    return this.settle(current, () => this.stripe.confirm(args.paymentIntentId, keys.confirm(current)));
  }

  @rpc({ expectedExceptions: expected })
  async getTransactionByOrder(orderId: string): Promise<schemas.Transaction> {
    const args = validate(schemas.GetTransactionByOrder, { orderId }, exc.BadRequest);
    const row = await this.found(() => this.db.transactions.getByOrderId(args.orderId), () => new exc.TransactionNotFound(`no transaction for order ${args.orderId}`));
    return toTransaction(row);
  }

  /** A batch, for facades that would otherwise ask once per transaction. Unknown ids are left out. */
  @rpc({ expectedExceptions: expected })
  async getMultipleTransactionsById(transactionIds: string[]): Promise<schemas.Transaction[]> {
    const args = validate(schemas.GetMultipleTransactionsById, { transactionIds }, exc.BadRequest);
    return dump(schemas.Transactions, await this.db.transactions.getManyById(args.transactionIds));
  }

  /**
   * The transactions of many orders in one call, for facades that would otherwise ask
   * getTransactionByOrder once per order. An order with no transaction (payment has not heard of
   * it) is left out, not an error: the caller reads its absence as "no payment yet".
   */
  @rpc({ expectedExceptions: expected })
  async getTransactionsByOrderIds(orderIds: string[]): Promise<schemas.Transaction[]> {
    const args = validate(schemas.GetTransactionsByOrderIds, { orderIds }, exc.BadRequest);
    return dump(schemas.Transactions, await this.db.transactions.getManyByOrderId(args.orderIds));
  }

  /** Gives a paid order's money back, in full, once: a refunded one is returned as it is. */
  @rpc({ expectedExceptions: expected })
  async refundPayment(orderId: string, reason: string, actorId: string): Promise<schemas.Transaction> {
    const args = validate(schemas.RefundPayment, { orderId, reason, actorId }, exc.BadRequest);
    const current = await this.found(() => this.db.transactions.getByOrderId(args.orderId), () => new exc.TransactionNotFound(`no transaction for order ${args.orderId}`));
    if (current.state === 'refunded') return toTransaction(current);
    if (!canMove(current.state, 'refunded')) {
      const message = `order ${args.orderId} is ${current.state}: only a paid order can be refunded`;
      throw new exc.BadRequest(message, [{ field: 'orderId', message }]);
    }
    const metadata = { transaction_id: current.id, order_id: current.order_id };
    const refund = await this.fromStripe(() => this.stripe.refund(current.payment_intent_id!, keys.refund(current), metadata));
    let refunded: TransactionRow;
    try {
      refunded = await this.db.transactions.markRefunded(current);
    } catch (error) {
      if (!(error instanceof this.db.ConcurrencyConflict)) throw error;
      const now = await this.db.transactions.getById(current.id);
      if (now.state === 'refunded') return toTransaction(now); // a concurrent call refunded it, under the same key: once
      throw new exc.ConcurrentChange(`order ${args.orderId} changed meanwhile; read it again`);
    }
    await this.db.refunds.add({
      id: randomUUID(),
      transaction_id: refunded.id,
      stripe_refund_id: refund.id,
      amount: refund.amount,
      currency: refunded.currency,
      reason: args.reason,
      actor_id: args.actorId,
    });
    const event = { ...about(refunded), paid_by: { id: refunded.paid_by }, actor: { id: args.actorId }, reason: args.reason };
    this.dispatch(PAYMENT_REFUNDED, dump(schemas.PaymentRefunded, { ...event, amount: refunded.amount, currency: refunded.currency }));
    return toTransaction(refunded);
  }

  /**
   * Sends the attempt under way to Stripe (a charge under its own key, unless `send` says
   * otherwise) and records the answer: paid, still awaiting action, or failed.
   */
  private async settle(attempt: TransactionRow, send?: () => Promise<Payment>): Promise<schemas.Transaction> {
    const charge = () =>
      this.stripe.charge(attempt.stripe_customer_id!, attempt.payment_method_id!, attempt.amount, attempt.currency, keys.charge(attempt), {
        transaction_id: attempt.id,
        order_id: attempt.order_id,
        attempt: String(attempt.attempt),
      });
    let payment: Payment;
    try {
      payment = await (send ?? charge)();
    } catch (error) {
      if (error instanceof this.stripe.CardDeclined) return this.decline(attempt, error.declineCode, error.message, error.paymentIntentId);
      if (!send && (error instanceof this.stripe.NotFound || error instanceof this.stripe.PaymentMethodError)) {
        // The card went away since it was listed (detached, say): for the payer, a decline.
        return this.decline(attempt, PAYMENT_METHOD_UNAVAILABLE, 'Stripe refused the payment method', null);
      }
      if (error instanceof this.stripe.InProgress) throw new exc.ConcurrentChange(`order ${attempt.order_id} is being paid by another call; read it again`);
      throw error; // left processing: the next call sends the attempt again under the same key
    }
    const paid = payment.status === 'succeeded';
    const { transaction, recorded } = await this.record(attempt, { state: paid ? 'paid' : 'processing', payment_intent_id: payment.paymentIntentId });
    if (paid && recorded) {
      this.dispatch(
        PAYMENT_TAKEN,
        dump(schemas.PaymentTaken, {
          ...about(transaction),
          payment_method: { id: transaction.payment_method_id },
          paid_by: { id: transaction.paid_by },
          amount: transaction.amount,
          currency: transaction.currency,
        }),
      );
    }
    return toTransaction(transaction);
  }

  /** Records the attempt failed (once, announcing it) and tells the caller why. */
  private async decline(attempt: TransactionRow, reason: string, message: string, paymentIntentId: string | null): Promise<never> {
    const outcome = { state: 'failed' as const, failure_reason: reason, payment_intent_id: paymentIntentId ?? attempt.payment_intent_id };
    const { transaction, recorded } = await this.record(attempt, outcome);
    if (recorded) {
      const { transaction: ref, order, project } = about(transaction);
      const event = { transaction: ref, order: { id: order.id }, project: { id: project.id }, paid_by: { id: transaction.paid_by }, reason };
      this.dispatch(PAYMENT_FAILED, dump(schemas.PaymentFailed, event));
    }
    throw new exc.PaymentDeclined(`the payment of order ${attempt.order_id} was declined: ${message}`, reason);
  }

  /**
   * Records Stripe's answer to the attempt. If a concurrent call recorded the same attempt first
   * (it sent it under the same key, so Stripe told it the same), that record stands and
   * `recorded` is false: nothing is announced twice.
   */
  private async record(attempt: TransactionRow, outcome: Outcome): Promise<{ transaction: TransactionRow; recorded: boolean }> {
    try {
      return { transaction: await this.db.transactions.recordOutcome(attempt, outcome), recorded: true };
    } catch (error) {
      if (!(error instanceof this.db.ConcurrencyConflict)) throw error;
      const now = await this.db.transactions.getById(attempt.id);
      if (now.attempt !== attempt.attempt) throw new exc.ConcurrentChange(`order ${attempt.order_id} changed meanwhile; read it again`);
      return { transaction: now, recorded: false };
    }
  }

  /** Stripe's expected exceptions as this service's; `field` names the argument a refused payment method came from. */
  private async fromStripe<T>(call: () => Promise<T>, about: { field?: string; notFound?: string } = {}): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof this.stripe.NotFound) throw new exc.NotFound(about.notFound ?? error.message);
      if (error instanceof this.stripe.PaymentMethodError) {
        throw new exc.BadRequest(error.message, about.field ? [{ field: about.field, message: error.message }] : []);
      }
      if (error instanceof this.stripe.InProgress) throw new exc.ConcurrentChange('another call is doing the same at Stripe; try again in a moment');
      throw error;
    }
  }

  /** The user's Stripe customer; undefined for a user who never added a card. */
  private async customerOf(userId: string): Promise<CustomerRow | undefined> {
    try {
      return await this.db.customers.getByUserId(userId);
    } catch (error) {
      if (error instanceof this.db.NotFound) return undefined;
      throw error;
    }
  }

  private async found<T>(load: () => Promise<T>, notFound: () => Error): Promise<T> {
    try {
      return await load();
    } catch (error) {
      if (error instanceof this.db.NotFound || error instanceof this.attempts.NotFound) throw notFound();
      throw error;
    }
  }
}

/** What every event says about the transaction, its order and its project. */
function about(t: TransactionRow) {
  return {
    transaction: { id: t.id },
    order: { id: t.order_id, description: t.description, amount: t.amount, currency: t.currency },
    project: { id: t.project_id, name: t.project_name },
  };
}
