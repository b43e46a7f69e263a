// Stripe's expected exceptions as the payment service's own (stripe-errors.ts).
import { InProgress, NotFound, PaymentMethodError, StripeFailure, Unavailable } from '../../src/dependencies/stripe';
import * as exc from '../../src/exceptions';
import { fromStripe } from '../../src/stripe-errors';

const stripe = { NotFound, PaymentMethodError, InProgress, Unavailable, StripeFailure };
const failing = (error: Error) => () => Promise.reject(error);

describe('Stripe’s errors, as the payment service’s', () => {
  it('passes an answer through', async () => {
    await expect(fromStripe(stripe, async () => 'cus_1')).resolves.toBe('cus_1');
  });

  it('turns NotFound into the service’s NotFound, with the message the caller names', async () => {
    await expect(fromStripe(stripe, failing(new NotFound('No such PaymentMethod')))).rejects.toEqual(new exc.NotFound('No such PaymentMethod'));
    const named = fromStripe(stripe, failing(new NotFound('No such PaymentMethod')), { notFound: 'no payment method pm_x' });
    await expect(named).rejects.toEqual(new exc.NotFound('no payment method pm_x'));
  });

  it('turns a refused payment method into BadRequest naming the argument it came from', async () => {
    const error = await fromStripe(stripe, failing(new PaymentMethodError('attached to another customer')), { field: 'token' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(exc.BadRequest);
    expect(error).toMatchObject({ message: 'attached to another customer', details: [{ field: 'token', message: 'attached to another customer' }] });
  });

  it('asks to try again when the same call is still running at Stripe', async () => {
    await expect(fromStripe(stripe, failing(new InProgress('idempotency_key_in_use')))).rejects.toBeInstanceOf(exc.ConcurrentChange);
  });

  it('says the payment provider is unavailable when Stripe cannot be reached or answer now', async () => {
    await expect(fromStripe(stripe, failing(new Unavailable('stripe unavailable: connect ECONNREFUSED')))).rejects.toEqual(
      new exc.PaymentProviderUnavailable('Stripe cannot be reached just now: try again shortly'),
    );
  });

  it('says PaymentProviderError, naming what Stripe said, when its answer is not understood', async () => {
    const error = await fromStripe(stripe, failing(new StripeFailure('stripe: Invalid API Key provided'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(exc.PaymentProviderError);
    expect((error as Error).message).toMatch(/Invalid API Key provided/);
  });

  it('lets anything else through as the fault it is', async () => {
    const fault = new Error('boom');
    await expect(fromStripe(stripe, failing(fault))).rejects.toBe(fault);
  });
});
