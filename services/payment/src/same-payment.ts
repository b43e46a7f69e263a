// When a call to pay is the same payment as the attempt on record: the same payer with the same
// card. Then a redelivered request or a retry after a lost reply is answered with the payment as
// it stands, and nothing is charged again.
import type { TransactionRow } from './dependencies/db';

/** Who pays with what, as a call to pay names them. */
export interface PaymentBy {
  paidBy: string;
  paymentMethodId: string;
}

/** The same payer with the same payment method: a retry of the payment, not a new one. */
export const isSamePayment = (t: TransactionRow, by: PaymentBy): boolean => t.paid_by === by.paidBy && t.payment_method_id === by.paymentMethodId;
