// The bodies of the events the payment service announces (events.ts): a contract with the
// project and messaging services.
import { paymentFailed, paymentRefunded, paymentTaken } from '../../src/events';
import { aPaidTransaction } from './rows';

describe('the events a payment announces', () => {
  const paid = aPaidTransaction('user-1', 'pm_card');
  const about = {
    transaction: { id: paid.id },
    order: { id: paid.order_id, description: 'Seeds', amount: 1500, currency: 'EUR' },
    project: { id: paid.project_id, name: 'Garden' },
  };

  it('says in payment_taken which order of which project was paid, by whom, with which card, how much', () => {
    expect(paymentTaken(paid)).toEqual({ ...about, payment_method: { id: 'pm_card' }, paid_by: { id: 'user-1' }, amount: 1500, currency: 'EUR' });
  });

  it('names in payment_failed the transaction, order, project and payer by id, with the decline’s reason', () => {
    const failed = { ...paid, state: 'failed' as const, failure_reason: 'insufficient_funds' };
    expect(paymentFailed(failed, 'insufficient_funds')).toEqual({
      transaction: { id: paid.id },
      order: { id: paid.order_id },
      project: { id: paid.project_id },
      paid_by: { id: 'user-1' },
      reason: 'insufficient_funds',
    });
  });

  it('says in payment_refunded who asked for the refund, why, and how much went back', () => {
    const refunded = { ...paid, state: 'refunded' as const };
    expect(paymentRefunded(refunded, { actorId: 'agent-1', reason: 'damaged' })).toEqual({
      ...about,
      paid_by: { id: 'user-1' },
      actor: { id: 'agent-1' },
      reason: 'damaged',
      amount: 1500,
      currency: 'EUR',
    });
  });

  it('leaves out what the row holds beyond the contract: its version, state and Stripe customer', () => {
    const bodies = [paymentTaken(paid), paymentFailed(paid, 'generic_decline'), paymentRefunded(paid, { actorId: 'a', reason: 'r' })];
    for (const body of bodies) expect(JSON.stringify(body)).not.toMatch(/version|state|cus_|stripe/);
  });
});
