// The life of a transaction (one per order): every allowed move is in TRANSITIONS, and nothing
// else in the service decides what may follow what.
//
//   awaiting_payment → processing → paid → refunded
//          ↓               ↓   ↑
//          ↓              failed          (a new attempt: failed → processing)
//          ↓                 ↓
//       cancelled ←──────────┘            (the order was cancelled before it was paid)
//
// A paid order that is cancelled is refunded (paid → refunded): its money never stays.
// The states are the platform's list (libs/schemas), so that the facades show the same ones.
import { TRANSACTION_STATES, type TransactionState } from '@platform/schemas';

export { TRANSACTION_STATES, type TransactionState };

export const TRANSITIONS: Readonly<Record<TransactionState, readonly TransactionState[]>> = {
  awaiting_payment: ['processing', 'cancelled'],
  processing: ['paid', 'failed'],
  paid: ['refunded'],
  failed: ['processing', 'cancelled'],
  refunded: [],
  cancelled: [],
};

export const canMove = (from: TransactionState, to: TransactionState): boolean => TRANSITIONS[from].includes(to);

/** An attempt may begin: nothing was paid yet, and no attempt is under way. */
export const canAttemptPayment = (state: TransactionState): boolean => canMove(state, 'processing');
