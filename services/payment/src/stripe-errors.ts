// Stripe's expected exceptions (as the Stripe wrapper raises them) as this service's own, for the
// calls that only read or save cards. Settling and refunding handle theirs where they happen.
import type { StripeApi } from './dependencies/stripe';
import * as exc from './exceptions';

type StripeErrors = Pick<StripeApi, 'NotFound' | 'PaymentMethodError' | 'InProgress'>;

/** What to name in the answer: the argument a refused payment method came from, and what was not found. */
export interface About {
  field?: string;
  notFound?: string;
}

/** Runs `call`, translating Stripe's NotFound, PaymentMethodError and InProgress into NotFound, BadRequest and ConcurrentChange. */
export async function fromStripe<T>(stripe: StripeErrors, call: () => Promise<T>, about: About = {}): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof stripe.NotFound) throw new exc.NotFound(about.notFound ?? error.message);
    if (error instanceof stripe.PaymentMethodError) {
      throw new exc.BadRequest(error.message, about.field ? [{ field: about.field, message: error.message }] : []);
    }
    if (error instanceof stripe.InProgress) throw new exc.ConcurrentChange('another call is doing the same at Stripe; try again in a moment');
    throw error;
  }
}
