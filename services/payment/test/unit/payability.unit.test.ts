// What a transaction's state lets a call do with its payment, and why not (payability.ts).
import { randomUUID } from 'node:crypto';
import * as exc from '../../src/exceptions';
import { abandonStep, cancelStep, confirmStep, payStep, refundStep, whyCannotPay } from '../../src/payability';
import type { TransactionState } from '../../src/states';
import { aPaidTransaction, aTransaction } from './rows';

const payer = randomUUID();
const same = { paidBy: payer, paymentMethodId: 'pm_card' };
const other = { paidBy: payer, paymentMethodId: 'pm_other' };
const inState = (state: TransactionState, changes = {}) => aPaidTransaction(payer, 'pm_card', { state, ...changes });
// Five minutes after the rows were last changed: an authentication begun then has ten more.
const started = new Date('2026-01-01T00:00:00Z');
const clock = { now: new Date('2026-01-01T00:05:00Z'), authenticationTimeoutMs: 15 * 60_000 };
const awaiting = () => inState('processing', { payment_intent_id: 'pi_3ds', authentication_started_at: started });

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
    expect(() => payStep(inState('cancelled'), same, clock)).toThrow(exc.OrderCancelled);
    expect(() => payStep(inState('cancelled'), same, clock)).toThrow(/was cancelled: it cannot be paid/);
  });

  it('begins a new attempt when nothing was paid yet, and after a decline', () => {
    expect(payStep(aTransaction(), same, clock)).toBe('new-attempt');
    expect(payStep(inState('failed', { failure_reason: 'generic_decline' }), same, clock)).toBe('new-attempt');
  });

  it('sends an attempt begun and never answered to Stripe again, whoever calls', () => {
    const unanswered = inState('processing', { payment_intent_id: null });
    expect(payStep(unanswered, same, clock)).toBe('send-again');
    expect(payStep(unanswered, { paidBy: randomUUID(), paymentMethodId: 'pm_else' }, clock)).toBe('send-again');
  });

  it('answers the same payment again as it stands, paid or awaiting confirmation', () => {
    expect(payStep(inState('paid'), same, clock)).toBe('as-it-is');
    expect(payStep(awaiting(), same, clock)).toBe('as-it-is');
  });

  it('refuses another payment of a paid order, naming the state and orderId', () => {
    const paid = inState('paid');
    const message = `order ${paid.order_id} is already paid`;
    expect(refusal(() => payStep(paid, other, clock))).toEqual({ message, details: [{ field: 'orderId', message }] });
  });

  it('refuses another card while one awaits confirmation, naming its payment intent', () => {
    const pending = awaiting();
    expect(refusal(() => payStep(pending, other, clock)).message).toBe(
      `order ${pending.order_id} has a payment awaiting confirmation (3-D Secure, payment intent pi_3ds): confirm it, abandon it, or pay another way after PAYMENT_AUTHENTICATION_TIMEOUT (15m)`,
    );
  });

  it('replaces an authentication left for longer than the timeout, with another card or the same', () => {
    const later = { ...clock, now: new Date('2026-01-01T00:15:00Z') };
    expect(payStep(awaiting(), other, later)).toBe('replace');
    expect(payStep(awaiting(), same, later)).toBe('replace');
    expect(payStep(awaiting(), other, { ...clock, authenticationTimeoutMs: 60_000 })).toBe('replace');
  });

  it('refuses to pay a refunded order, even by the same payment', () => {
    const refunded = inState('refunded');
    expect(refusal(() => payStep(refunded, same, clock)).message).toBe(`order ${refunded.order_id} is refunded: it cannot be paid`);
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

  it('refuses to confirm a failed payment, naming the state', () => {
    const failed = inState('failed');
    expect(() => confirmStep(failed, 'pi_fake1')).toThrow(exc.NotAwaitingAuthentication);
    expect(() => confirmStep(failed, 'pi_fake1')).toThrow(`payment intent pi_fake1 of order ${failed.order_id} is failed: it cannot be confirmed`);
  });
});

describe('abandoning an authentication', () => {
  it('abandons the payer’s own payment awaiting authentication', () => {
    expect(abandonStep(awaiting(), payer)).toBe('abandon');
  });

  it('answers one abandoned (or timed out) already as it is', () => {
    expect(abandonStep(inState('failed', { failure_reason: 'authentication_abandoned' }), payer)).toBe('as-it-is');
    expect(abandonStep(inState('failed', { failure_reason: 'authentication_timed_out' }), payer)).toBe('as-it-is');
  });

  it('refuses what awaits no authentication, and another payer’s', () => {
    expect(() => abandonStep(inState('paid'), payer)).toThrow(/is paid: no payment of it awaits authentication/);
    expect(() => abandonStep(inState('failed', { failure_reason: 'generic_decline' }), payer)).toThrow(exc.NotAwaitingAuthentication);
    expect(() => abandonStep(awaiting(), randomUUID())).toThrow(/another payer/);
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

  it('refunds a paid one, settles an unanswered attempt first, and gives up one awaiting 3-D Secure', () => {
    expect(cancelStep(inState('paid'))).toBe('refund');
    expect(cancelStep(inState('processing', { payment_intent_id: null }))).toBe('settle-first');
    expect(cancelStep(inState('processing', { payment_intent_id: 'pi_3ds' }))).toBe('abandon');
  });
});
