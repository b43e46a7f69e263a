// Which Stripe customer each user is: made on their first payment method, kept for good.
import { Collection, NotFound } from '@platform/db';

export interface CustomerRow {
  user_id: string;
  stripe_customer_id: string;
  created_at: Date;
}

export class Customers extends Collection {
  async getByUserId(userId: string): Promise<CustomerRow> {
    const db = await this.reader();
    const row = (await db('customers').where({ user_id: userId }).first()) as CustomerRow | undefined;
    if (!row) throw new NotFound(`user ${userId} is no Stripe customer`);
    return row;
  }

  /** Stores the user's customer; if a concurrent call stored one first, that one is returned. */
  async add(userId: string, stripeCustomerId: string): Promise<CustomerRow> {
    const trx = await this.trx();
    await trx('customers').insert({ user_id: userId, stripe_customer_id: stripeCustomerId }).onConflict('user_id').ignore();
    return this.getByUserId(userId);
  }
}
