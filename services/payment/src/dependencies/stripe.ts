// Stripe, through its official SDK, in the payment service's own terms: workers call domain
// methods and see this module's expected exceptions, never a Stripe object or error.
//
// Config: STRIPE_API_KEY (default `sk_test_local`) and STRIPE_API_BASE (e.g.
// http://127.0.0.1:12111, the Stripe emulator). With the local key and no base, the emulator's
// default address; with a real `sk_test_`/`sk_live_` key and no base, Stripe itself.
import { DependencyProvider } from '@platform/shimeji';
import { inSpan } from '@platform/shimeji/tracing';
import StripeSdk from 'stripe';

export const LOCAL_API_KEY = 'sk_test_local';
export const LOCAL_API_BASE = 'http://127.0.0.1:12111';
/**
 * How long one request to Stripe may take (config STRIPE_TIMEOUT_MS), and one more try on a lost
 * connection: 2 × 4 s and the SDK's backoff stay below a facade's RPC timeout (10 s), so a
 * person hears "the payment provider is unavailable, try again" (503), not a gateway timeout. A
 * retry is safe: every charge carries its idempotency key.
 */
const DEFAULT_TIMEOUT_MS = 4_000;
const NETWORK_RETRIES = 1;

/** No such customer or payment method (or one that is not the customer's). */
export class NotFound extends Error {}

/** The card was declined: `declineCode` is Stripe's (`insufficient_funds`, `generic_decline`, …). */
export class CardDeclined extends Error {
  constructor(
    readonly declineCode: string,
    message: string,
    /** The payment intent the decline happened on. */
    readonly paymentIntentId: string | null,
  ) {
    super(message);
  }
}

/** Stripe refused the payment method for this use (attached to someone else, say). */
export class PaymentMethodError extends Error {}

/** Another request with the same idempotency key is still running at Stripe: ask again shortly. */
export class InProgress extends Error {}

/**
 * Stripe could not be asked or could not answer now: the connection was refused or lost, the
 * request timed out, Stripe failed on its side (5xx, `api_error`) or is rate limiting us (429).
 * The SDK has already retried; the same call may be tried again later under the same key.
 */
export class Unavailable extends Error {}

/** An answer this wrapper does not understand (a bad key, a key reused with other parameters, an odd status): a fault to look at. */
export class StripeFailure extends Error {}

export interface Card {
  id: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
}

/**
 * What the payer's client does next to authenticate (3-D Secure), in this service's terms: let
 * Stripe.js show the challenge (`use_stripe_sdk`), or send the payer to their bank and back
 * (`redirect_to_url`, with where to).
 */
export interface NextAction {
  type: 'use_stripe_sdk' | 'redirect_to_url';
  redirect_to_url?: { url: string; return_url: string | null };
}

/** What a client needs to authenticate a payment: Stripe.js takes the client secret, and follows the next action. */
export interface Authentication {
  clientSecret: string;
  nextAction: NextAction;
}

/**
 * Where a payment stands at Stripe: `succeeded`, or `requires_action` (3-D Secure, with its
 * `authentication`) until confirmed; `canceled` once abandoned.
 */
export interface Payment {
  paymentIntentId: string;
  status: 'succeeded' | 'requires_action' | 'processing' | 'canceled';
  authentication: Authentication | null;
}

const toCard = (pm: StripeSdk.PaymentMethod): Card => ({
  id: pm.id,
  brand: pm.card?.brand ?? 'unknown',
  last4: pm.card?.last4 ?? '',
  exp_month: pm.card?.exp_month ?? 0,
  exp_year: pm.card?.exp_year ?? 0,
});

const SETTLED: readonly string[] = ['succeeded', 'requires_action', 'processing', 'canceled'] satisfies Payment['status'][];

function toNextAction(action: StripeSdk.PaymentIntent.NextAction | null): NextAction {
  if (action?.type === 'redirect_to_url' && action.redirect_to_url?.url) {
    return { type: 'redirect_to_url', redirect_to_url: { url: action.redirect_to_url.url, return_url: action.redirect_to_url.return_url ?? null } };
  }
  return { type: 'use_stripe_sdk' }; // what Stripe.js's handleNextAction does with any other
}

function toPayment(intent: StripeSdk.PaymentIntent): Payment {
  const authentication =
    intent.status === 'requires_action' && intent.client_secret ? { clientSecret: intent.client_secret, nextAction: toNextAction(intent.next_action) } : null;
  if (SETTLED.includes(intent.status)) return { paymentIntentId: intent.id, status: intent.status as Payment['status'], authentication };
  // A card charge confirmed at once ends in one of the above, or in a decline (an error).
  throw new StripeFailure(`payment intent ${intent.id} is ${intent.status} after confirmation`);
}

/** Stripe out of reach or failing on its side (a timeout is a StripeConnectionError too), as opposed to refusing what we sent. */
function isOutage(error: InstanceType<typeof StripeSdk.errors.StripeError>): boolean {
  if (error instanceof StripeSdk.errors.StripeConnectionError || error instanceof StripeSdk.errors.StripeRateLimitError) return true;
  return (error.statusCode ?? 0) >= 500 || error.type === 'api_error';
}

/** Stripe's errors as this module's: the only place that knows Stripe's error types and codes. */
function translate(error: unknown): Error {
  if (!(error instanceof StripeSdk.errors.StripeError)) return error instanceof Error ? error : new StripeFailure(String(error));
  if (error instanceof StripeSdk.errors.StripeCardError) {
    return new CardDeclined(error.decline_code || error.code || 'card_declined', error.message, error.payment_intent?.id ?? null); // the SDK gives '' for no decline code
  }
  if (error.code === 'resource_missing') return new NotFound(error.message);
  if (error instanceof StripeSdk.errors.StripeInvalidRequestError && (error.param === 'payment_method' || error.code?.startsWith('payment_method_'))) {
    return new PaymentMethodError(error.message);
  }
  if (error.statusCode === 409 && error.code === 'idempotency_key_in_use') return new InProgress(error.message);
  if (isOutage(error)) return new Unavailable(`stripe unavailable: ${error.message}`);
  return new StripeFailure(`stripe: ${error.message} (${error.type}${error.code ? ` ${error.code}` : ''}, request ${error.requestId ?? '?'})`);
}

/** What a worker sees as `this.stripe`. Every call that moves money carries the caller's idempotency key. */
export class StripeApi {
  readonly NotFound = NotFound;
  readonly CardDeclined = CardDeclined;
  readonly PaymentMethodError = PaymentMethodError;
  readonly InProgress = InProgress;
  readonly Unavailable = Unavailable;
  readonly StripeFailure = StripeFailure;

  constructor(private readonly client: StripeSdk) {}

  /** The user's Stripe customer, made once: a retry or a concurrent call gets the same one back. */
  async ensureCustomer(userId: string): Promise<string> {
    const customer = await this.call('customers.create', () => this.client.customers.create({ metadata: { user_id: userId } }, { idempotencyKey: `customer_${userId}` }));
    return customer.id;
  }

  /**
   * Saves a payment method (a Stripe.js one, or a test one such as `pm_card_visa`) for the
   * customer. Under a key of the customer and token, so that calls racing to add the same card
   * get the one Stripe attached for the first of them.
   */
  async addPaymentMethod(customerId: string, token: string): Promise<Card> {
    return toCard(
      await this.call('paymentMethods.attach', () => this.client.paymentMethods.attach(token, { customer: customerId }, { idempotencyKey: `attach_${customerId}_${token}` })),
    );
  }

  async listPaymentMethods(customerId: string): Promise<Card[]> {
    const page = await this.call('customers.listPaymentMethods', () => this.client.customers.listPaymentMethods(customerId, { type: 'card', limit: 100 }));
    return page.data.map(toCard);
  }

  /** Charges the customer's card at once; CardDeclined when the bank says no. */
  async charge(
    customerId: string,
    paymentMethodId: string,
    amount: number,
    currency: string,
    idempotencyKey: string,
    metadata: Record<string, string>,
  ): Promise<Payment> {
    const intent = await this.call('paymentIntents.create', () =>
      this.client.paymentIntents.create(
        {
          amount,
          currency: currency.toLowerCase(),
          customer: customerId,
          payment_method: paymentMethodId,
          allowed_payment_method_types: ['card'],
          confirm: true,
          metadata,
        },
        { idempotencyKey },
      ),
    );
    return toPayment(intent);
  }

  /**
   * Completes a payment that required action (3-D Secure): confirms it unless it succeeded
   * already (the customer authenticated through Stripe.js, which confirms it too).
   */
  async confirm(paymentIntentId: string, idempotencyKey: string): Promise<Payment> {
    const intent = await this.call('paymentIntents.retrieve', () => this.client.paymentIntents.retrieve(paymentIntentId));
    if (intent.status !== 'requires_action' && intent.status !== 'requires_confirmation') return toPayment(intent);
    return toPayment(await this.call('paymentIntents.confirm', () => this.client.paymentIntents.confirm(paymentIntentId, {}, { idempotencyKey })));
  }

  /**
   * Gives up a payment awaiting authentication: cancelled at Stripe, so it can no longer be
   * confirmed. One that succeeded meanwhile (the payer authenticated after all) is not cancelled:
   * its Payment says `succeeded`, and the caller records it paid.
   */
  async cancel(paymentIntentId: string, idempotencyKey: string): Promise<Payment> {
    const intent = await this.call('paymentIntents.retrieve', () => this.client.paymentIntents.retrieve(paymentIntentId));
    if (intent.status === 'succeeded' || intent.status === 'canceled') return toPayment(intent);
    return toPayment(
      await this.call('paymentIntents.cancel', () => this.client.paymentIntents.cancel(paymentIntentId, { cancellation_reason: 'abandoned' }, { idempotencyKey })),
    );
  }

  /** Refunds the payment in full. */
  async refund(paymentIntentId: string, idempotencyKey: string, metadata: Record<string, string> = {}): Promise<{ id: string; amount: number }> {
    const refund = await this.call('refunds.create', () =>
      this.client.refunds.create({ payment_intent: paymentIntentId, reason: 'requested_by_customer', metadata }, { idempotencyKey }),
    );
    return { id: refund.id, amount: refund.amount };
  }

  /** `operation`: the SDK's resource and method (`paymentIntents.create`), naming the call's span. */
  private async call<T>(operation: string, request: () => Promise<T>): Promise<T> {
    try {
      return await inSpan(`stripe ${operation}`, { 'peer.service': 'stripe', 'stripe.operation': operation }, request);
    } catch (error) {
      throw translate(error);
    }
  }
}

/** Where the SDK sends its requests, from config; a bad combination fails the service's start. */
export function clientFor(config: Readonly<Record<string, unknown>>): { client: StripeSdk; where: string } {
  const key = String(config.STRIPE_API_KEY ?? LOCAL_API_KEY);
  const base = config.STRIPE_API_BASE ? String(config.STRIPE_API_BASE) : key === LOCAL_API_KEY ? LOCAL_API_BASE : undefined;
  if (!/^(sk|rk)_(test|live)_\w+$/.test(key)) throw new Error('STRIPE_API_KEY must be a Stripe secret key (sk_test_… or sk_live_…)');
  const timeout = config.STRIPE_TIMEOUT_MS === undefined || config.STRIPE_TIMEOUT_MS === '' ? DEFAULT_TIMEOUT_MS : Number(config.STRIPE_TIMEOUT_MS);
  if (!Number.isInteger(timeout) || timeout < 100) throw new Error(`STRIPE_TIMEOUT_MS must be a whole number of milliseconds, at least 100, got ${String(config.STRIPE_TIMEOUT_MS)}`);
  const options: StripeSdk.StripeConfig = { maxNetworkRetries: NETWORK_RETRIES, timeout, telemetry: false };
  if (base) {
    const url = new URL(base);
    const protocol = url.protocol.replace(':', '');
    if (protocol !== 'http' && protocol !== 'https') throw new Error(`STRIPE_API_BASE must be an http(s) URL, got ${base}`);
    Object.assign(options, { host: url.hostname, port: Number(url.port || (protocol === 'https' ? 443 : 80)), protocol });
  }
  return { client: new StripeSdk(key, options), where: base ?? 'https://api.stripe.com' };
}

/** `stripe = inject(new Stripe())`. */
export class Stripe extends DependencyProvider<StripeApi> {
  private api!: StripeApi;

  override async setup(): Promise<void> {
    const { client, where } = clientFor(this.container.config);
    this.api = new StripeApi(client);
    this.container.logger.info({ stripe: where }, 'stripe ready');
  }

  getDependency(): StripeApi {
    return this.api;
  }
}
