// The cards users added, by the token they added each with: the same token added again by the
// same user is the card already attached, never a second one (Stripe makes a new payment method
// each time a test token or a Stripe.js one is attached anew).
import { Collection, NotFound } from '@platform/db';

export interface PaymentMethodRow {
  user_id: string;
  token: string;
  payment_method_id: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  created_at: Date;
}

export type NewPaymentMethod = Omit<PaymentMethodRow, 'created_at'>;

export class PaymentMethods extends Collection {
  async getByToken(userId: string, token: string): Promise<PaymentMethodRow> {
    const db = await this.reader();
    const row = (await db('payment_methods').where({ user_id: userId, token }).first()) as PaymentMethodRow | undefined;
    if (!row) throw new NotFound(`user ${userId} added no payment method ${token}`);
    return row;
  }

  /** Stores the card; if a concurrent call stored one for the same token first, that one is returned. */
  async add(method: NewPaymentMethod): Promise<PaymentMethodRow> {
    const trx = await this.trx();
    await trx('payment_methods').insert(method).onConflict(['user_id', 'token']).ignore();
    return this.getByToken(method.user_id, method.token);
  }
}
