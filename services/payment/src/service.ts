// The payment service: entrypoints only. Each declares its arguments once, reads what it works on,
// asks the domain modules beside states.ts what may happen (payability.ts) and has them do it
// (paying.ts, settlement.ts, refunding.ts), and dumps its reply through a schema.
//
// Never charging twice: every Stripe call that moves money carries an idempotency key derived
// from the transaction (stripe-keys.ts), and an attempt is on record (`processing`, its number,
// payer and card) before Stripe is called (paying.ts, dependencies/attempts.ts).
import { ALLOW } from './access';
import { randomUUID } from 'node:crypto';
import { abandon } from './abandoning';
import { ABANDONED, TIMED_OUT } from './authentication';
import { AuthenticationTimeout } from './dependencies/authentication-timeout';
import { OutboxDispatcher } from '@platform/db';
import { dump, entrypointOptions, validate } from '@platform/schemas';
import { eventHandler, inject, rpc, service, WorkerLogger } from '@platform/shimeji';
import { PaymentAttempts } from './dependencies/attempts';
import { paymentDatabase, type PaymentMethodRow, type TransactionRow } from './dependencies/db';
import { Stripe } from './dependencies/stripe';
import * as exc from './exceptions';
import { closeForCancelledOrder } from './cancelling';
import { customerOf, found, maybe } from './lookups';
import { abandonStep, confirmStep, payStep, refundStep } from './payability';
import { beginAttempt } from './paying';
import { refund } from './refunding';
import * as schemas from './schemas';
import { settle, settleConfirmation } from './settlement';
import { fromStripe } from './stripe-errors';

export const PROJECT_SERVICE = 'project';
export const ORDER_PLACED = 'order_placed';
export const ORDER_CANCELLED = 'order_cancelled';

const expected = [
  exc.BadRequest,
  exc.NotFound,
  exc.TransactionNotFound,
  exc.PaymentDeclined,
  exc.ConcurrentChange,
  exc.OrderCancelled,
  exc.NotAwaitingAuthentication,
  exc.PaymentProviderUnavailable,
  exc.PaymentProviderError,
];
const takes = entrypointOptions(exc.BadRequest, expected);

const toTransaction = (row: TransactionRow): schemas.Transaction => dump(schemas.Transaction, row);
const toCard = (row: PaymentMethodRow): schemas.PaymentMethod => dump(schemas.PaymentMethod, { ...row, id: row.payment_method_id });

@service('payment')
export class PaymentService {
  db = inject(paymentDatabase());
  attempts = inject(new PaymentAttempts(this.db));
  dispatch = inject(new OutboxDispatcher(this.db));
  stripe = inject(new Stripe());
  log = inject(new WorkerLogger());
  authenticationTimeoutMs = inject(new AuthenticationTimeout());

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

  /**
   * An order was cancelled: its transaction closes, or its payment is refunded, so no money stays
   * for it. An order payment never heard of is an error, retried: its order_placed may come later.
   */
  @eventHandler(PROJECT_SERVICE, ORDER_CANCELLED)
  async closeTransaction(payload: unknown): Promise<void> {
    const { order, cancelled_by: by, reason } = validate(schemas.OrderCancelled, payload, exc.BadRequest);
    await found(() => this.db.transactions.getByOrderId(order.id), () => new exc.TransactionNotFound(`no transaction for order ${order.id}`));
    const closed = await closeForCancelledOrder(this, order.id, { actorId: by.id, reason: reason ?? null });
    this.log.info({ orderId: order.id, state: closed.state }, 'order cancelled: its transaction is closed');
  }

  /** The user's saved cards, newest first; none for a user who never added one. */
  @rpc({ ...takes(schemas.ListPaymentMethods), allow: ALLOW.listPaymentMethods })
  async listPaymentMethods(userId: string): Promise<schemas.PaymentMethod[]> {
    const customer = await customerOf(this.db.customers, userId);
    if (!customer) return [];
    return dump(schemas.PaymentMethods, await fromStripe(this.stripe, () => this.stripe.listPaymentMethods(customer.stripe_customer_id)));
  }

  /**
   * Saves a card for the user (`token`: from Stripe.js, or a test one such as pm_card_visa); the
   * first makes them a Stripe customer. The same token again is the card already attached, however
   * many calls add it at once (the payment_methods table's key, and Stripe's idempotency key).
   */
  @rpc({ ...takes(schemas.AddPaymentMethod), idempotent: true, allow: ALLOW.addPaymentMethod })
  async addPaymentMethod(userId: string, token: string): Promise<schemas.PaymentMethod> {
    const known = await maybe(() => this.db.paymentMethods.getByToken(userId, token));
    if (known) return toCard(known);
    let customer = await customerOf(this.db.customers, userId);
    if (!customer) {
      const made = await fromStripe(this.stripe, () => this.stripe.ensureCustomer(userId));
      customer = await this.db.customers.add(userId, made);
    }
    const customerId = customer.stripe_customer_id;
    const card = await fromStripe(this.stripe, () => this.stripe.addPaymentMethod(customerId, token), { field: 'token', notFound: `no payment method ${token}` });
    const { id, ...details } = card;
    return toCard(await this.db.paymentMethods.add({ user_id: userId, token, payment_method_id: id, ...details }));
  }

  /**
   * Charges the order's amount to one of the payer's cards. `processing` with a payment intent,
   * its `client_secret` and `next_action`, when the card needs 3-D Secure (then
   * confirmPaymentIntent, or abandonPayment); PaymentDeclined when declined. The same call again
   * (a retry, a lost reply) returns the payment as it stands, charging nothing; an attempt begun
   * and never settled is sent again under its own key first; one awaiting authentication for
   * longer than PAYMENT_AUTHENTICATION_TIMEOUT is given up and replaced by this one.
   */
  @rpc({ ...takes(schemas.PayOrder), idempotent: true, allow: ALLOW.payOrder })
  async payOrder(orderId: string, paymentMethodId: string, paidBy: string): Promise<schemas.Transaction> {
    return toTransaction(await this.pay(orderId, { paymentMethodId, paidBy }, 1));
  }

  /** `replaced`: how many abandoned attempts this call may still give up; one is all it ever meets. */
  private async pay(orderId: string, by: { paymentMethodId: string; paidBy: string }, replaced: number): Promise<TransactionRow> {
    const current = await found(() => this.attempts.getTransactionByOrderId(orderId), () => new exc.TransactionNotFound(`no transaction for order ${orderId}`));
    const step = payStep(current, by, { now: new Date(), authenticationTimeoutMs: this.authenticationTimeoutMs });
    switch (step) {
      case 'as-it-is':
        return current;
      case 'send-again':
        return settle(this, current);
      case 'new-attempt':
        return settle(this, await beginAttempt(this, current, by));
      case 'replace':
        if (replaced < 1) throw new exc.ConcurrentChange(`order ${orderId} is being paid by another call; read it again`);
        // Given up at once, as an attempt begins (dependencies/attempts.ts): the next reads it so.
        await abandon({ db: { transactions: this.attempts.transactions }, stripe: this.stripe, dispatch: this.dispatch }, current, TIMED_OUT);
        return this.pay(orderId, by, replaced - 1);
    }
  }

  /**
   * Completes a payment that required action (3-D Secure), once its payer authenticated: paid, or
   * PaymentDeclined. A paid one is returned as it is. Another payer's is TransactionNotFound.
   */
  @rpc({ ...takes(schemas.ConfirmPaymentIntent), idempotent: true, allow: ALLOW.confirmPaymentIntent })
  async confirmPaymentIntent(paymentIntentId: string, paidBy: string): Promise<schemas.Transaction> {
    const notFound = () => new exc.TransactionNotFound(`no transaction with payment intent ${paymentIntentId}`);
    const current = await found(() => this.db.transactions.getByPaymentIntentId(paymentIntentId), notFound);
    if (current.paid_by !== paidBy) throw notFound();
    if (confirmStep(current, paymentIntentId) === 'as-it-is') return toTransaction(current);
    return toTransaction(await settleConfirmation(this, current));
  }

  /**
   * Gives up the payer's payment awaiting authentication (3-D Secure): cancelled at Stripe, the
   * transaction `failed` (`authentication_abandoned`) and payable again, by a new attempt. One
   * abandoned already is returned as it is; one the payer authenticated meanwhile, paid.
   */
  @rpc({ ...takes(schemas.AbandonPayment), idempotent: true, allow: ALLOW.abandonPayment })
  async abandonPayment(orderId: string, paidBy: string): Promise<schemas.Transaction> {
    const current = await found(() => this.db.transactions.getByOrderId(orderId), () => new exc.TransactionNotFound(`no transaction for order ${orderId}`));
    if (abandonStep(current, paidBy) === 'as-it-is') return toTransaction(current);
    return toTransaction(await abandon(this, current, ABANDONED));
  }

  @rpc({ ...takes(schemas.GetTransactionByOrder), allow: ALLOW.getTransactionByOrder })
  async getTransactionByOrder(orderId: string): Promise<schemas.Transaction> {
    const row = await found(() => this.db.transactions.getByOrderId(orderId), () => new exc.TransactionNotFound(`no transaction for order ${orderId}`));
    return toTransaction(row);
  }

  /** A batch, for facades that would otherwise ask once per transaction. Unknown ids are left out. */
  @rpc({ ...takes(schemas.GetTransactionsById), allow: ALLOW.getTransactionsById })
  async getTransactionsById(transactionIds: string[]): Promise<schemas.Transaction[]> {
    return dump(schemas.Transactions, await this.db.transactions.getManyById(transactionIds));
  }

  /**
   * The transactions of many orders in one call, for facades that would otherwise ask
   * getTransactionByOrder once per order. An order with no transaction (payment has not heard of
   * it) is left out, not an error: the caller reads its absence as "no payment yet".
   */
  @rpc({ ...takes(schemas.GetTransactionsByOrderId), allow: ALLOW.getTransactionsByOrderId })
  async getTransactionsByOrderId(orderIds: string[]): Promise<schemas.Transaction[]> {
    return dump(schemas.Transactions, await this.db.transactions.getManyByOrderId(orderIds));
  }

  /** Gives a paid order's money back, in full, once: a refunded one is returned as it is. */
  @rpc({ ...takes(schemas.RefundPayment), idempotent: true, allow: ALLOW.refundPayment })
  async refundPayment(orderId: string, reason: string, actorId: string): Promise<schemas.Transaction> {
    const current = await found(() => this.db.transactions.getByOrderId(orderId), () => new exc.TransactionNotFound(`no transaction for order ${orderId}`));
    if (refundStep(current) === 'as-it-is') return toTransaction(current);
    return toTransaction(await refund(this, current, { reason, actorId }));
  }
}
