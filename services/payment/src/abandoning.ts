// Giving up an attempt awaiting authentication (3-D Secure), because its payer abandoned it or
// took longer than PAYMENT_AUTHENTICATION_TIMEOUT: its payment intent is cancelled at Stripe, so
// the old authentication can no longer take money, and the transaction is failed, payable again
// by a new attempt under a new key. One the payer authenticated meanwhile is paid, not cancelled.
import type { TransactionRow } from './dependencies/db';
import type { StripeApi } from './dependencies/stripe';
import * as exc from './exceptions';
import { recordAbandoned, settle, type Settling } from './settlement';
import { providerFault } from './stripe-errors';
import { stripeKeys } from './stripe-keys';

/** What abandoning works with; a PaymentService worker is one. */
export interface Abandoning extends Settling {
  stripe: Settling['stripe'] & Pick<StripeApi, 'cancel'>;
}

/** The attempt given up (`failed`, `reason`), or paid if Stripe says it succeeded meanwhile. */
export async function abandon(w: Abandoning, attempt: TransactionRow, reason: string): Promise<TransactionRow> {
  let payment;
  try {
    payment = await w.stripe.cancel(attempt.payment_intent_id!, stripeKeys.cancel(attempt));
  } catch (error) {
    if (error instanceof w.stripe.InProgress) throw new exc.ConcurrentChange(`order ${attempt.order_id} is being paid by another call; read it again`);
    // Still awaiting authentication: the same call later cancels it under the same key.
    throw providerFault(w.stripe, error);
  }
  if (payment.status === 'succeeded') return settle(w, attempt, async () => payment);
  return recordAbandoned(w, attempt, reason);
}
