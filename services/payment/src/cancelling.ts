// An order was cancelled: its transaction closes, and whatever was paid for it goes back. However
// cancellation and payment interleave, the order ends with no money kept: a payment under way is
// settled first (under its own key, so Stripe charges it at most once) and refunded if it went
// through; payOrder refuses a transaction once it is cancelled (payability.ts).
import { ConcurrencyConflict } from '@platform/db';
import { abandon, type Abandoning } from './abandoning';
import type { TransactionRow } from './dependencies/db';
import type { Transactions } from './dependencies/transactions';
import * as exc from './exceptions';
import { cancelStep } from './payability';
import { refund, type Refunding } from './refunding';
import { settle, type Settling } from './settlement';

/** What cancelling works with; a PaymentService worker is one. */
export interface Cancelling {
  db: { transactions: Refunding['db']['transactions'] & Settling['db']['transactions'] & Pick<Transactions, 'getByOrderId' | 'markCancelled'>; refunds: Refunding['db']['refunds'] };
  stripe: Refunding['stripe'] & Abandoning['stripe'];
  dispatch: Refunding['dispatch'];
}

/** The refund's reason when the cancellation gave none (a member cancelled their own order). */
export const CANCELLED_ORDER_REFUND = 'order cancelled';

/** Why an attempt awaiting 3-D Secure was given up. */
export const ORDER_CANCELLED_REASON = 'order_cancelled';

// Each pass moves the transaction one step (settled, closed or refunded) or meets a concurrent
// change; a handful covers both, and a handler that gives up is retried as an event.
const PASSES = 5;

/** Closes or refunds the order's transaction; the transaction as it ends. */
export async function closeForCancelledOrder(w: Cancelling, orderId: string, by: { actorId: string; reason: string | null }): Promise<TransactionRow> {
  for (let pass = 1; ; pass++) {
    const current = await w.db.transactions.getByOrderId(orderId);
    try {
      switch (cancelStep(current)) {
        case 'as-it-is':
          return current;
        case 'close':
          return await w.db.transactions.markCancelled(current);
        case 'refund':
          return await refund(w, current, { reason: by.reason ?? CANCELLED_ORDER_REFUND, actorId: by.actorId });
        case 'settle-first':
          await settle(w, current).catch((error: unknown) => {
            if (!(error instanceof exc.PaymentDeclined)) throw error; // declined: failed, then closed
          });
          break;
        case 'abandon':
          // Its authentication can no longer take money; if it already did, the next pass refunds it.
          await abandon(w, current, ORDER_CANCELLED_REASON);
          break;
      }
    } catch (error) {
      const concurrent = error instanceof ConcurrencyConflict || error instanceof exc.ConcurrentChange;
      if (!concurrent || pass >= PASSES) throw error;
    }
  }
}
