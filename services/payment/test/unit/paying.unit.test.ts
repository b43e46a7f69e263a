// Beginning an attempt to pay (paying.ts): the payer's card checked, the attempt on record
// before Stripe is asked to charge.
import { randomUUID } from 'node:crypto';
import * as exc from '../../src/exceptions';
import { beginAttempt } from '../../src/paying';
import { stepsWorld } from './steps';

describe('beginning an attempt to pay', () => {
  it('records the next attempt with the payer and card, processing, and charges nothing yet', async () => {
    const { attempts, stripe, store, opened, payer, customer, card } = await stepsWorld();
    const attempt = await beginAttempt({ attempts, stripe }, opened, { paidBy: payer, paymentMethodId: card });
    expect(attempt).toMatchObject({ state: 'processing', attempt: 1, paid_by: payer, payment_method_id: card, stripe_customer_id: customer, payment_intent_id: null });
    expect(store.transactions.get(opened.id)).toEqual(attempt);
    expect(stripe.calls).toEqual(['listPaymentMethods']);
  });

  it('refuses a card that is not the payer’s, and a payer with no cards at all, beginning nothing', async () => {
    const { attempts, stripe, store, opened, payer, card } = await stepsWorld();
    const before = store.snapshot();
    await expect(beginAttempt({ attempts, stripe }, opened, { paidBy: payer, paymentMethodId: 'pm_unknown' })).rejects.toEqual(
      new exc.NotFound(`user ${payer} has no payment method pm_unknown`),
    );
    const stranger = randomUUID();
    await expect(beginAttempt({ attempts, stripe }, opened, { paidBy: stranger, paymentMethodId: card })).rejects.toEqual(
      new exc.NotFound(`user ${stranger} has no payment method ${card}`),
    );
    expect(store.snapshot()).toEqual(before);
  });

  it('says ConcurrentChange when another call began an attempt since the transaction was read', async () => {
    const { attempts, stripe, opened, payer, card, attemptUnderWay } = await stepsWorld();
    await attemptUnderWay();
    const error = await beginAttempt({ attempts, stripe }, opened, { paidBy: payer, paymentMethodId: card }).catch((e: unknown) => e);
    expect(error).toEqual(new exc.ConcurrentChange(`order ${opened.order_id} is being paid by another call; read it again`));
  });
});
