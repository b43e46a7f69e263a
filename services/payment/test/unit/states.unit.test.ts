// The life of a transaction, as states.ts allows it.
import { canAttemptPayment, canMove, TRANSACTION_STATES } from '../../src/states';

describe('the transaction state machine', () => {
  it('allows exactly: awaiting payment or failed to processing or cancelled, processing to paid or failed, paid to refunded', () => {
    const allowed = TRANSACTION_STATES.flatMap((from) => TRANSACTION_STATES.filter((to) => canMove(from, to)).map((to) => `${from}->${to}`));
    expect(allowed.sort()).toEqual([
      'awaiting_payment->cancelled',
      'awaiting_payment->processing',
      'failed->cancelled',
      'failed->processing',
      'paid->refunded',
      'processing->failed',
      'processing->paid',
    ]);
  });

  it('lets a new attempt begin only before anything was paid and while none is under way', () => {
    expect(TRANSACTION_STATES.filter(canAttemptPayment)).toEqual(['awaiting_payment', 'failed']);
  });
});
