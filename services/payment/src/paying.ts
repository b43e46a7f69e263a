// Beginning an attempt to pay: the payer's card checked at Stripe, then the attempt (`processing`,
// its number, payer and card) committed at once, before Stripe is asked to charge
// (dependencies/attempts.ts says why). Settling it is settlement.ts's.
import { ConcurrencyConflict } from '@platform/db';
import type { CustomerRow, Payer, TransactionRow } from './dependencies/db';
import type { StripeApi } from './dependencies/stripe';
import * as exc from './exceptions';
import { found } from './lookups';
import type { PaymentBy } from './same-payment';
import { fromStripe, type ProviderFaults } from './stripe-errors';

/** What beginning an attempt works with; a PaymentService worker is one. */
export interface Paying {
  attempts: {
    getCustomer(userId: string): Promise<CustomerRow>;
    begin(transaction: TransactionRow, payer: Payer): Promise<TransactionRow>;
  };
  stripe: Pick<StripeApi, 'listPaymentMethods' | 'NotFound' | 'PaymentMethodError' | 'InProgress' | ProviderFaults>;
}

/**
 * The next attempt on `current`, `processing` and on record. NotFound unless the card is one of
 * the payer's at Stripe; ConcurrentChange if another call began an attempt since `current` was read.
 */
export async function beginAttempt(w: Paying, current: TransactionRow, by: PaymentBy): Promise<TransactionRow> {
  const noSuchCard = () => new exc.NotFound(`user ${by.paidBy} has no payment method ${by.paymentMethodId}`);
  const customer = await found(() => w.attempts.getCustomer(by.paidBy), noSuchCard);
  const cards = await fromStripe(w.stripe, () => w.stripe.listPaymentMethods(customer.stripe_customer_id));
  if (!cards.some((card) => card.id === by.paymentMethodId)) throw noSuchCard();
  const payer = { paid_by: by.paidBy, payment_method_id: by.paymentMethodId, stripe_customer_id: customer.stripe_customer_id };
  return w.attempts.begin(current, payer).catch((error: unknown) => {
    if (error instanceof ConcurrencyConflict) throw new exc.ConcurrentChange(`order ${current.order_id} is being paid by another call; read it again`);
    throw error;
  });
}
