// The payment service: entrypoints only. Each validates its arguments, reads what it works on,
// asks the domain modules beside states.ts what may happen (payability.ts) and has them do it
// (paying.ts, settlement.ts, refunding.ts), and dumps its reply through a schema.
//
// Never charging twice: every Stripe call that moves money carries an idempotency key derived
// from the transaction (stripe-keys.ts), and an attempt is on record (`processing`, its number,
// payer and card) before Stripe is called (paying.ts, dependencies/attempts.ts).
import { randomUUID } from 'node:crypto';
import { OutboxDispatcher } from '@platform/db';
import { dump, validate } from '@platform/schemas';
import { eventHandler, inject, rpc, service, WorkerLogger } from '@platform/shimeji';
import { PaymentAttempts } from './dependencies/attempts';
import { paymentDatabase, type TransactionRow } from './dependencies/db';
import { Stripe } from './dependencies/stripe';
import * as exc from './exceptions';
import { customerOf, found } from './lookups';
import { confirmStep, payStep, refundStep } from './payability';
import { beginAttempt } from './paying';
import { refund } from './refunding';
import * as schemas from './schemas';
import { settle, settleConfirmation } from './settlement';
import { fromStripe } from './stripe-errors';

export const PROJECT_SERVICE = 'project';
export const ORDER_PLACED = 'order_placed';

const expected = [exc.BadRequest, exc.NotFound, exc.TransactionNotFound, exc.PaymentDeclined, exc.ConcurrentChange];

const toTransaction = (row: TransactionRow): schemas.Transaction => dump(schemas.Transaction, row);

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
    const customer = await customerOf(this.db.customers, args.userId);
    if (!customer) return [];
    return dump(schemas.PaymentMethods, await fromStripe(this.stripe, () => this.stripe.listPaymentMethods(customer.stripe_customer_id)));
  }

  /** Saves a card for the user (`token`: from Stripe.js, or a test one such as pm_card_visa); the first makes them a Stripe customer. */
  @rpc({ expectedExceptions: expected })
  async addPaymentMethod(userId: string, token: string): Promise<schemas.PaymentMethod> {
    const args = validate(schemas.AddPaymentMethod, { userId, token }, exc.BadRequest);
    let customer = await customerOf(this.db.customers, args.userId);
    if (!customer) {
      const made = await fromStripe(this.stripe, () => this.stripe.ensureCustomer(args.userId));
      customer = await this.db.customers.add(args.userId, made);
    }
    const customerId = customer.stripe_customer_id;
    const card = await fromStripe(this.stripe, () => this.stripe.addPaymentMethod(customerId, args.token), { field: 'token', notFound: `no payment method ${args.token}` });
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
    const current = await found(() => this.attempts.getTransactionByOrderId(args.orderId), () => new exc.TransactionNotFound(`no transaction for order ${args.orderId}`));
    switch (payStep(current, args)) {
      case 'as-it-is':
        return toTransaction(current);
      case 'send-again':
        return toTransaction(await settle(this, current));
      case 'new-attempt':
        return toTransaction(await settle(this, await beginAttempt(this, current, args)));
    }
  }

  /** Completes a payment that required action (3-D Secure): paid, or PaymentDeclined. A paid one is returned as it is. */
  @rpc({ expectedExceptions: expected })
  async confirmPaymentIntent(paymentIntentId: string): Promise<schemas.Transaction> {
    const args = validate(schemas.ConfirmPaymentIntent, { paymentIntentId }, exc.BadRequest);
    const current = await found(
      () => this.db.transactions.getByPaymentIntentId(args.paymentIntentId),
      () => new exc.TransactionNotFound(`no transaction with payment intent ${args.paymentIntentId}`),
    );
    if (confirmStep(current, args.paymentIntentId) === 'as-it-is') return toTransaction(current);
    return toTransaction(await settleConfirmation(this, current));
  }

  @rpc({ expectedExceptions: expected })
  async getTransactionByOrder(orderId: string): Promise<schemas.Transaction> {
    const args = validate(schemas.GetTransactionByOrder, { orderId }, exc.BadRequest);
    const row = await found(() => this.db.transactions.getByOrderId(args.orderId), () => new exc.TransactionNotFound(`no transaction for order ${args.orderId}`));
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
    const current = await found(() => this.db.transactions.getByOrderId(args.orderId), () => new exc.TransactionNotFound(`no transaction for order ${args.orderId}`));
    if (refundStep(current) === 'as-it-is') return toTransaction(current);
    return toTransaction(await refund(this, current, args));
  }
}
