// The life of an order, as states.ts allows it.
import { canMoveOrder, hasBeen, ORDER_STATUSES } from '../../src/states';

describe('the order state machine', () => {
  it('allows exactly awaiting payment to paid or cancelled, and paid to refunded', () => {
    const allowed = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.filter((to) => canMoveOrder(from, to)).map((to) => `${from}->${to}`));
    expect(allowed).toEqual(['awaiting_payment->paid', 'awaiting_payment->cancelled', 'paid->refunded']);
  });

  it('counts a refunded order as paid before, and a cancelled one as never paid', () => {
    expect(hasBeen('refunded', 'paid')).toBe(true);
    expect(hasBeen('paid', 'paid')).toBe(true);
    expect(hasBeen('cancelled', 'paid')).toBe(false);
    expect(hasBeen('awaiting_payment', 'paid')).toBe(false);
    expect(hasBeen('paid', 'refunded')).toBe(false);
  });
});
