// The life of an order, as states.ts allows it.
import { canMoveOrder, hasBeen, ORDER_STATUSES } from '../../src/states';

describe('the order state machine', () => {
  it('allows exactly awaiting payment to paid or cancelled, paid to refunded or cancelling, and cancelling to cancelled or back to paid', () => {
    const allowed = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.filter((to) => canMoveOrder(from, to)).map((to) => `${from}->${to}`));
    expect(allowed).toEqual([
      'awaiting_payment->paid',
      'awaiting_payment->cancelled',
      'paid->refunded',
      'paid->cancelling',
      'cancelling->paid',
      'cancelling->cancelled',
    ]);
  });

  it('counts a refunded, cancelling or cancelled order as possibly paid before, and one awaiting payment as not', () => {
    expect(hasBeen('refunded', 'paid')).toBe(true);
    expect(hasBeen('paid', 'paid')).toBe(true);
    expect(hasBeen('cancelling', 'paid')).toBe(true);
    expect(hasBeen('cancelled', 'paid')).toBe(true);
    expect(hasBeen('awaiting_payment', 'paid')).toBe(false);
    expect(hasBeen('paid', 'refunded')).toBe(false);
    expect(hasBeen('paid', 'cancelled')).toBe(false);
  });
});
