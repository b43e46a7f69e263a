// Reads whose "not found" the payment service names itself (lookups.ts).
import { NotFound } from '@platform/db';
import type { CustomerRow } from '../../src/dependencies/db';
import * as exc from '../../src/exceptions';
import { customerOf, found } from '../../src/lookups';

describe('reading what may be missing', () => {
  const missing = () => Promise.reject(new NotFound('no row'));

  it('answers a missing row with the error the caller names, and anything else as it is', async () => {
    await expect(found(missing, () => new exc.TransactionNotFound('no transaction for order o-1'))).rejects.toEqual(
      new exc.TransactionNotFound('no transaction for order o-1'),
    );
    const fault = new Error('connection lost');
    await expect(found(() => Promise.reject(fault), () => new exc.NotFound('x'))).rejects.toBe(fault);
    await expect(found(async () => 'row', () => new exc.NotFound('x'))).resolves.toBe('row');
  });

  it('finds no Stripe customer for a user who never added a card, and theirs for one who did', async () => {
    const customer: CustomerRow = { user_id: 'u-1', stripe_customer_id: 'cus_1', created_at: new Date() };
    await expect(customerOf({ getByUserId: missing }, 'u-1')).resolves.toBeUndefined();
    await expect(customerOf({ getByUserId: async () => customer }, 'u-1')).resolves.toBe(customer);
  });
});
