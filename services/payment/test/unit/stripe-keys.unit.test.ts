// The keys Stripe knows an attempt by, and what it is sent with them (stripe-keys.ts).
import { chargeMetadata, refundMetadata, stripeKeys } from '../../src/stripe-keys';
import { aPaidTransaction } from './rows';

describe('the keys Stripe knows an attempt by', () => {
  const first = aPaidTransaction();

  it('gives the same attempt the same key however often it is sent, and the next attempt a new one', () => {
    expect(stripeKeys.charge(first)).toBe(`txn_${first.id}_attempt_1`);
    expect(stripeKeys.charge({ ...first, version: 7, state: 'processing' })).toBe(stripeKeys.charge(first));
    expect(stripeKeys.charge({ ...first, attempt: 2 })).toBe(`txn_${first.id}_attempt_2`);
  });

  it('keys a confirmation apart from the charge it confirms, and a refund by the transaction alone', () => {
    expect(stripeKeys.confirm(first)).toBe(`txn_${first.id}_attempt_1_confirm`);
    expect(stripeKeys.refund(first)).toBe(`refund_${first.id}`);
    expect(stripeKeys.refund({ ...first, attempt: 3 })).toBe(stripeKeys.refund(first));
  });

  it('sends with a charge the transaction, order and attempt, and with a refund the transaction and order', () => {
    expect(chargeMetadata(first)).toEqual({ transaction_id: first.id, order_id: first.order_id, attempt: '1' });
    expect(refundMetadata(first)).toEqual({ transaction_id: first.id, order_id: first.order_id });
  });
});
