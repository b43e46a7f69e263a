// When a call to pay is the same payment as the attempt on record (same-payment.ts).
import { randomUUID } from 'node:crypto';
import { isSamePayment } from '../../src/same-payment';
import { aPaidTransaction, aTransaction } from './rows';

describe('the same payment', () => {
  const payer = randomUUID();
  const paid = aPaidTransaction(payer, 'pm_card');

  it('treats a second attempt with the same card and payer as the same payment', () => {
    expect(isSamePayment(paid, { paidBy: payer, paymentMethodId: 'pm_card' })).toBe(true);
  });

  it('treats another card, or another payer with the same card, as a new payment', () => {
    expect(isSamePayment(paid, { paidBy: payer, paymentMethodId: 'pm_other' })).toBe(false);
    expect(isSamePayment(paid, { paidBy: randomUUID(), paymentMethodId: 'pm_card' })).toBe(false);
  });

  it('finds no payment to repeat on a transaction nobody has tried to pay', () => {
    expect(isSamePayment(aTransaction(), { paidBy: payer, paymentMethodId: 'pm_card' })).toBe(false);
  });
});
