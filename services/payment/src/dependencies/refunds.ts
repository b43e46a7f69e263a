// Refunds: a paid transaction is refunded once, in full, and the record says who asked and why.
import { Collection } from '@platform/db';

export interface RefundRow {
  id: string;
  transaction_id: string;
  stripe_refund_id: string;
  amount: number;
  currency: string;
  reason: string;
  actor_id: string;
  created_at: Date;
}

export class Refunds extends Collection {
  async add(refund: Omit<RefundRow, 'created_at'>): Promise<RefundRow> {
    const trx = await this.trx();
    const [row] = await trx('refunds').insert(refund).returning('*');
    return { ...row, amount: Number(row.amount) } as RefundRow;
  }
}
