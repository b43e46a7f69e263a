// The Stripe wrapper's translation of the SDK's errors (a stand-in SDK client throwing the SDK's
// real error classes) and where its config sends it. (The database keeping what a declined payment
// wrote is libs/db's `commitOn`, proven by its contract and by the integration suite here.)
import StripeSdk from 'stripe';
import { CardDeclined, clientFor, InProgress, NotFound, PaymentMethodError, StripeApi, StripeFailure, Unavailable } from '../../src/dependencies/stripe';

/** An SDK client every method of which throws `error`. */
function throwing(error: Error): StripeSdk {
  const fail = async () => {
    throw error;
  };
  return {
    customers: { create: fail, listPaymentMethods: fail },
    paymentMethods: { attach: fail },
    paymentIntents: { create: fail, retrieve: fail, confirm: fail },
    refunds: { create: fail },
  } as unknown as StripeSdk;
}

const raw = (fields: Record<string, unknown>) => ({ message: 'from Stripe', ...fields }) as never;

describe('the Stripe wrapper', () => {
  const failure = (call: Promise<unknown>) => call.then(() => undefined, (error: unknown) => error);

  it('turns a card error into CardDeclined with the decline code and the payment intent', async () => {
    const declined = new StripeSdk.errors.StripeCardError(raw({ type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.', payment_intent: { id: 'pi_1' } }));
    const error = (await failure(new StripeApi(throwing(declined)).charge('cus_1', 'pm_1', 1500, 'EUR', 'key', {}))) as CardDeclined;
    expect(error).toBeInstanceOf(CardDeclined);
    expect(error).toMatchObject({ declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.', paymentIntentId: 'pi_1' });
    const authentication = new StripeSdk.errors.StripeCardError(raw({ type: 'card_error', code: 'authentication_required' }));
    expect(await failure(new StripeApi(throwing(authentication)).charge('cus_1', 'pm_1', 1500, 'EUR', 'key', {}))).toMatchObject({ declineCode: 'authentication_required', paymentIntentId: null });
  });

  it.each([
    ['a missing object', new StripeSdk.errors.StripeInvalidRequestError(raw({ type: 'invalid_request_error', code: 'resource_missing', param: 'payment_method', statusCode: 400 })), NotFound],
    ['a refused payment method', new StripeSdk.errors.StripeInvalidRequestError(raw({ type: 'invalid_request_error', code: 'payment_method_unexpected_state', statusCode: 400 })), PaymentMethodError],
    ['a payment method of someone else', new StripeSdk.errors.StripeInvalidRequestError(raw({ type: 'invalid_request_error', param: 'payment_method', statusCode: 400 })), PaymentMethodError],
    ['a key in use', new StripeSdk.errors.StripeAPIError(raw({ type: 'idempotency_error', code: 'idempotency_key_in_use', statusCode: 409 })), InProgress],
    ['a key reused with other parameters', new StripeSdk.errors.StripeIdempotencyError(raw({ type: 'idempotency_error', statusCode: 400 })), StripeFailure],
    ['a refused or lost connection', new StripeSdk.errors.StripeConnectionError(raw({ message: 'An error occurred with our connection to Stripe.' })), Unavailable],
    ['a timeout', new StripeSdk.errors.StripeConnectionError(raw({ message: 'Request aborted due to timeout being reached (20000ms)' })), Unavailable],
    ['a failure at Stripe', new StripeSdk.errors.StripeAPIError(raw({ type: 'api_error', statusCode: 500 })), Unavailable],
    ['Stripe down behind its gateway', new StripeSdk.errors.StripeAPIError(raw({ statusCode: 503 })), Unavailable],
    ['a rate limit', new StripeSdk.errors.StripeRateLimitError(raw({ type: 'invalid_request_error', code: 'rate_limit', statusCode: 429 })), Unavailable],
    ['a bad API key', new StripeSdk.errors.StripeAuthenticationError(raw({ type: 'invalid_request_error', statusCode: 401 })), StripeFailure],
    ['a status it does not know', new StripeSdk.errors.StripeAPIError(raw({ type: 'invalid_request_error', statusCode: 418 })), StripeFailure],
  ])('turns %s into its own %p, never a Stripe error', async (_what, error, expected) => {
    const api = new StripeApi(throwing(error));
    for (const call of [api.addPaymentMethod('cus_1', 'pm_1'), api.listPaymentMethods('cus_1'), api.refund('pi_1', 'refund_1'), api.confirm('pi_1', 'key')]) {
      const translated = await failure(call);
      expect(translated).toBeInstanceOf(expected);
      expect(translated).not.toBeInstanceOf(StripeSdk.errors.StripeError);
    }
  });

  it('passes what it sends through the SDK: the amount, lower-case currency, card only, and the caller’s idempotency key', async () => {
    const create = jest.fn(async (params: Record<string, unknown>) => ({ id: 'pi_1', status: 'succeeded', ...params }));
    const api = new StripeApi({ paymentIntents: { create } } as unknown as StripeSdk);
    await expect(api.charge('cus_1', 'pm_1', 1500, 'EUR', 'txn_t_attempt_1', { order_id: 'o' })).resolves.toEqual({ paymentIntentId: 'pi_1', status: 'succeeded', authentication: null });
    expect(create.mock.calls).toEqual([
      [
        { amount: 1500, currency: 'eur', customer: 'cus_1', payment_method: 'pm_1', allowed_payment_method_types: ['card'], confirm: true, metadata: { order_id: 'o' } },
        { idempotencyKey: 'txn_t_attempt_1' },
      ],
    ]);
  });
});

describe('where the Stripe dependency sends its requests', () => {
  const api = (client: StripeSdk) => (client as unknown as { _api: { host: string; port: number; protocol: string } })._api;

  it('goes to the emulator’s address with the local key, and to the given base', () => {
    expect(api(clientFor({}).client)).toMatchObject({ host: '127.0.0.1', port: 12111, protocol: 'http' });
    expect(clientFor({}).where).toBe('http://127.0.0.1:12111');
    expect(api(clientFor({ STRIPE_API_KEY: 'sk_test_abc', STRIPE_API_BASE: 'http://localhost:4000' }).client)).toMatchObject({ host: 'localhost', port: 4000, protocol: 'http' });
  });

  it('goes to Stripe with a real key and no base', () => {
    const { client, where } = clientFor({ STRIPE_API_KEY: 'sk_test_51Abc' });
    expect(where).toBe('https://api.stripe.com');
    expect(api(client)).toMatchObject({ host: 'api.stripe.com', protocol: 'https' });
  });

  it('gives each request to Stripe 4 s and one more try by default, or the timeout the config sets', () => {
    const settings = (client: StripeSdk) => (client as unknown as { _api: { timeout: number; maxNetworkRetries: number } })._api;
    expect(settings(clientFor({}).client)).toMatchObject({ timeout: 4_000, maxNetworkRetries: 1 });
    expect(settings(clientFor({ STRIPE_TIMEOUT_MS: '1500' }).client)).toMatchObject({ timeout: 1_500 });
    expect(() => clientFor({ STRIPE_TIMEOUT_MS: 'soon' })).toThrow(/STRIPE_TIMEOUT_MS/);
  });

  it('refuses a key that is no secret key, and a base that is no http URL', () => {
    expect(() => clientFor({ STRIPE_API_KEY: 'pk_test_abc' })).toThrow(/STRIPE_API_KEY/);
    expect(() => clientFor({ STRIPE_API_BASE: 'ftp://example.com' })).toThrow(/STRIPE_API_BASE/);
  });
});
