// What a transaction's state lets a call do with its payment, and why not (payability.ts).
import { randomUUID } from 'node:crypto';
import * as exc from '../../src/exceptions';
import { cancelStep, confirmStep, payStep, refundStep, whyCannotPay } from '../../src/payability';
import type { TransactionState } from '../../src/states';
import { aPaidTransaction, aTransaction } from './rows';

const payer = randomUUID();
const same = { paidBy: payer, paymentMethodId: 'pm_card' };
const other = { paidBy: payer, paymentMethodId: 'pm_other' };
const inState = (state: TransactionState, changes = {}) => aPaidTransaction(payer, 'pm_card', { state, ...changes });

/** The BadRequest `step` throws, as plain data. */
function refusal(step: () => unknown): { message: string; details: unknown } {
  try {
    step();
  } catch (error) {
    expect(error).toBeInstanceOf(exc.BadRequest);
    const { message, details } = error as exc.BadRequest;
    return { message, details };
  }
  throw new Error('expected a refusal, the step was allowed');
}

describe('paying a transaction', () => {
  it('refuses an order that was cancelled with OrderCancelled, whoever pays', () => {
    expect(() => payStep(inState('cancelled'), same)).toThrow(exc.OrderCancelled);
    expect(() => payStep(inState('cancelled'), same)).toThrow(/was cancelled: it cannot be paid/);
  });

  it('begins a new attempt when nothing was paid yet, and after a decline', () => {
    expect(payStep(aTransaction(), same)).toBe('new-attempt');
    expect(payStep(inState('failed', { failure_reason: 'generic_decline' }), same)).toBe('new-attempt');
  });

  it('sends an attempt begun and never answered to Stripe again, whoever calls', () => {
    const unanswered = inState('processing', { payment_intent_id: null });
    expect(payStep(unanswered, same)).toBe('send-again');
    expect(payStep(unanswered, { paidBy: randomUUID(), paymentMethodId: 'pm_else' })).toBe('send-again');
  });

  it('answers the same payment again as it stands, paid or awaiting confirmation', () => {
    expect(payStep(inState('paid'), same)).toBe('as-it-is');
    expect(payStep(inState('processing', { payment_intent_id: 'pi_3ds' }), same)).toBe('as-it-is');
  });

  it('refuses another payment of a paid order, naming the state and orderId', () => {
    const paid = inState('paid');
    const message = `order ${paid.order_id} is already paid`;
    expect(refusal(() => payStep(paid, other))).toEqual({ message, details: [{ field: 'orderId', message }] });
  });

  it('refuses another card while one awaits confirmation, naming its payment intent', () => {
    const pending = inState('processing', { payment_intent_id: 'pi_3ds' });
    expect(refusal(() => payStep(pending, other)).message).toBe(
      `order ${pending.order_id} has a payment awaiting confirmation (payment intent pi_3ds): confirm it, or wait`,
    );
  });

  it('refuses to pay a refunded order, even by the same payment', () => {
    const refunded = inState('refunded');
    expect(refusal(() => payStep(refunded, same)).message).toBe(`order ${refunded.order_id} is refunded: it cannot be paid`);
    expect(whyCannotPay(refunded).details).toEqual([{ field: 'orderId', message: `order ${refunded.order_id} is refunded: it cannot be paid` }]);
  });
});

describe('confirming a payment intent', () => {
  it('confirms a transaction awaiting confirmation', () => {
    expect(confirmStep(inState('processing', { payment_intent_id: 'pi_3ds' }), 'pi_3ds')).toBe('confirm');
  });

  it('answers a paid transaction, or one refunded since, as it is', () => {
    expect(confirmStep(inState('paid'), 'pi_fake1')).toBe('as-it-is');
    expect(confirmStep(inState('refunded'), 'pi_fake1')).toBe('as-it-is');
  });

  it('refuses to confirm a failed payment, naming the state and paymentIntentId', () => {
    const failed = inState('failed');
    const message = `payment intent pi_fake1 of order ${failed.order_id} is failed: it cannot be confirmed`;
    expect(refusal(() => confirmStep(failed, 'pi_fake1'))).toEqual({ message, details: [{ field: 'paymentIntentId', message }] });
  });
});

describe('refunding a transaction', () => {
  it('refunds a paid transaction and answers a refunded one as it is', () => {
    expect(refundStep(inState('paid'))).toBe('refund');
    expect(refundStep(inState('refunded'))).toBe('as-it-is');
  });

  it('refuses to refund what was not paid, naming the state and orderId', () => {
    for (const state of ['awaiting_payment', 'processing', 'failed'] as const) {
      const t = inState(state);
      const message = `order ${t.order_id} is ${state}: only a paid order can be refunded`;
      expect(refusal(() => refundStep(t))).toEqual({ message, details: [{ field: 'orderId', message }] });
    }
  });
});

describe('closing the transaction of a cancelled order', () => {
  it('closes one that nothing was paid on, and leaves a closed or refunded one as it is', () => {
    expect(cancelStep(aTransaction())).toBe('close');
    expect(cancelStep(inState('failed', { failure_reason: 'generic_decline' }))).toBe('close');
    expect(cancelStep(inState('cancelled'))).toBe('as-it-is');
    expect(cancelStep(inState('refunded'))).toBe('as-it-is');
  });

  it('refunds a paid one, settles an unanswered attempt first, and waits for 3-D Secure to end', () => {
    expect(cancelStep(inState('paid'))).toBe('refund');
    expect(cancelStep(inState('processing', { payment_intent_id: null }))).toBe('settle-first');
    expect(cancelStep(inState('processing', { payment_intent_id: 'pi_3ds' }))).toBe('wait');
  });
});
