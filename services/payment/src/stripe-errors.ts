// Stripe's expected exceptions (as the Stripe wrapper raises them) as this service's own, for the
// calls that only read or save cards. Settling handles its card and key errors where they happen,
// and asks `providerFault` about the rest: Stripe down, or an answer not understood.
import type { StripeApi } from './dependencies/stripe';
import * as exc from './exceptions';

type StripeErrors = Pick<StripeApi, 'NotFound' | 'PaymentMethodError' | 'InProgress' | ProviderFaults>;

/** The wrapper's errors that say Stripe itself is down or makes no sense, whatever was asked. */
export type ProviderFaults = 'Unavailable' | 'StripeFailure';

/** Stripe down (PaymentProviderUnavailable) or not understood (PaymentProviderError) as this service's own; anything else as it is. */
export function providerFault(stripe: Pick<StripeApi, ProviderFaults>, error: unknown): unknown {
  if (error instanceof stripe.Unavailable) return new exc.PaymentProviderUnavailable('Stripe cannot be reached just now: try again shortly');
  if (error instanceof stripe.StripeFailure) return new exc.PaymentProviderError(`Stripe's answer was not understood: ${error.message}`);
  return error;
}

/** What to name in the answer: the argument a refused payment method came from, and what was not found. */
export interface About {
  field?: string;
  notFound?: string;
}

/**
 * Runs `call`, translating Stripe's NotFound, PaymentMethodError and InProgress into NotFound,
 * BadRequest and ConcurrentChange, and Stripe down or not understood as `providerFault` says.
 */
export async function fromStripe<T>(stripe: StripeErrors, call: () => Promise<T>, about: About = {}): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof stripe.NotFound) throw new exc.NotFound(about.notFound ?? error.message);
    if (error instanceof stripe.PaymentMethodError) {
      throw new exc.BadRequest(error.message, about.field ? [{ field: about.field, message: error.message }] : []);
    }
    if (error instanceof stripe.InProgress) throw new exc.ConcurrentChange('another call is doing the same at Stripe; try again in a moment');
    throw providerFault(stripe, error);
  }
}
