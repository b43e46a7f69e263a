// An in-memory stand-in for the Stripe wrapper (dependencies/stripe.ts): the same methods and
// expected exceptions, Stripe's test tokens by name, and idempotency keys kept as Stripe keeps
// them, so a unit test can count charges. `failNext` makes the next call fail as a network would.
import { type Card, CardDeclined, InProgress, NotFound, type Payment, PaymentMethodError, type StripeApi, StripeFailure, Unavailable } from '../../src/dependencies/stripe';

type Behaviour = 'succeeds' | 'declined' | 'authentication';

const TOKENS: Record<string, { brand: string; last4: string; behaviour: Behaviour }> = {
  pm_card_visa: { brand: 'visa', last4: '4242', behaviour: 'succeeds' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444', behaviour: 'succeeds' },
  pm_card_chargeDeclined: { brand: 'visa', last4: '0002', behaviour: 'declined' },
  pm_card_authenticationRequired: { brand: 'visa', last4: '3184', behaviour: 'authentication' },
};

interface Intent {
  id: string;
  status: 'succeeded' | 'requires_action' | 'requires_payment_method' | 'canceled';
  amount: number;
  refunded: boolean;
}

export class FakeStripe implements Pick<StripeApi, keyof StripeApi> {
  readonly NotFound = NotFound;
  readonly CardDeclined = CardDeclined;
  readonly PaymentMethodError = PaymentMethodError;
  readonly InProgress = InProgress;
  readonly Unavailable = Unavailable;
  readonly StripeFailure = StripeFailure;

  readonly customers = new Map<string, string>();
  readonly cards = new Map<string, Card & { customer: string; behaviour: Behaviour }>();
  readonly intents = new Map<string, Intent>();
  /** Each charge that took money: its idempotency key and amount. */
  readonly charges: { key: string; intent: string; amount: number; currency: string }[] = [];
  readonly refunds: { key: string; intent: string }[] = [];
  /** Every call, by method name: what a test counts to see nothing reached Stripe. */
  readonly calls: string[] = [];
  /** The next call of `method` throws `error` (after Stripe did its work, when `afterWork`): a lost connection. */
  failNext?: { method: string; error: Error; afterWork: boolean };
  private readonly replies = new Map<string, Payment | CardDeclined>();
  private ids = 0;

  private id(prefix: string): string {
    return `${prefix}_fake${++this.ids}`;
  }

  private async run<T>(method: string, work: () => T): Promise<T> {
    this.calls.push(method);
    const failure = this.failNext?.method === method ? this.failNext : undefined;
    if (failure) this.failNext = undefined;
    if (failure && !failure.afterWork) throw failure.error;
    const result = work();
    if (failure) throw failure.error;
    return result;
  }

  private replayed(key: string, work: () => Payment): Payment {
    const stored = this.replies.get(key);
    if (stored instanceof CardDeclined) throw stored;
    if (stored) return stored;
    try {
      const payment = work();
      this.replies.set(key, payment);
      return payment;
    } catch (error) {
      if (error instanceof CardDeclined) this.replies.set(key, error);
      throw error;
    }
  }

  async ensureCustomer(userId: string): Promise<string> {
    return this.run('ensureCustomer', () => {
      if (!this.customers.has(userId)) this.customers.set(userId, this.id('cus'));
      return this.customers.get(userId)!;
    });
  }

  async addPaymentMethod(customerId: string, token: string): Promise<Card> {
    return this.run('addPaymentMethod', () => {
      const known = TOKENS[token];
      if (!known) throw new NotFound(`No such PaymentMethod: '${token}'`);
      const card = { id: this.id('pm'), brand: known.brand, last4: known.last4, exp_month: 12, exp_year: 2030 };
      this.cards.set(card.id, { ...card, customer: customerId, behaviour: known.behaviour });
      return card;
    });
  }

  async listPaymentMethods(customerId: string): Promise<Card[]> {
    return this.run('listPaymentMethods', () =>
      [...this.cards.values()].filter((c) => c.customer === customerId).map(({ customer: _c, behaviour: _b, ...card }) => card).reverse(),
    );
  }

  async charge(customerId: string, paymentMethodId: string, amount: number, currency: string, key: string): Promise<Payment> {
    return this.run('charge', () =>
      this.replayed(key, () => {
        const card = this.cards.get(paymentMethodId);
        if (!card) throw new NotFound(`No such PaymentMethod: '${paymentMethodId}'`);
        if (card.customer !== customerId) throw new PaymentMethodError('belongs to another customer');
        const intent: Intent = { id: this.id('pi'), status: 'requires_payment_method', amount, refunded: false };
        this.intents.set(intent.id, intent);
        if (card.behaviour === 'declined') throw new CardDeclined('generic_decline', 'Your card was declined.', intent.id);
        intent.status = card.behaviour === 'authentication' ? 'requires_action' : 'succeeded';
        if (intent.status === 'succeeded') this.charges.push({ key, intent: intent.id, amount, currency });
        const authentication = intent.status === 'requires_action' ? { clientSecret: `${intent.id}_secret_fake`, nextAction: { type: 'use_stripe_sdk' as const } } : null;
        return { paymentIntentId: intent.id, status: intent.status, authentication };
      }),
    );
  }

  async confirm(paymentIntentId: string, key: string): Promise<Payment> {
    return this.run('confirm', () =>
      this.replayed(key, () => {
        const intent = this.intents.get(paymentIntentId);
        if (!intent) throw new NotFound(`No such payment_intent: '${paymentIntentId}'`);
        if (intent.status === 'requires_action') {
          intent.status = 'succeeded';
          this.charges.push({ key, intent: intent.id, amount: intent.amount, currency: 'eur' });
        }
        if (intent.status === 'canceled') throw new StripeFailure(`payment intent ${paymentIntentId} is canceled`);
        return { paymentIntentId, status: 'succeeded', authentication: null };
      }),
    );
  }

  async cancel(paymentIntentId: string): Promise<Payment> {
    return this.run('cancel', () => {
      const intent = this.intents.get(paymentIntentId);
      if (!intent) throw new NotFound(`No such payment_intent: '${paymentIntentId}'`);
      if (intent.status !== 'succeeded') intent.status = 'canceled';
      return { paymentIntentId, status: intent.status === 'succeeded' ? 'succeeded' : 'canceled', authentication: null };
    });
  }

  async refund(paymentIntentId: string, key: string): Promise<{ id: string; amount: number }> {
    return this.run('refund', () => {
      const done = this.refunds.find((r) => r.key === key);
      const intent = this.intents.get(paymentIntentId)!;
      if (!done) {
        intent.refunded = true;
        this.refunds.push({ key, intent: paymentIntentId });
      }
      return { id: `re_${key}`, amount: intent.amount };
    });
  }
}
