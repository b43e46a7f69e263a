// The real Stripe SDK pointed at a fresh emulator: what the tests talk to.
import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from '../src';

export const API_KEY = 'sk_test_emulator';

export interface Emulated {
  emulator: StripeEmulator;
  stripe: Stripe;
  /** A client with no retries of its own, to see each answer as it is. */
  once: Stripe;
}

export async function emulated(options: StripeEmulatorOptions = {}): Promise<Emulated> {
  const emulator = await startStripeEmulator(options);
  const client = (maxNetworkRetries?: number) =>
    new Stripe(API_KEY, { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries, telemetry: false });
  return { emulator, stripe: client(), once: client(0) };
}

/** The Stripe error a call failed with; fails the test if it succeeded. */
export async function stripeError(call: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Stripe.errors.StripeError)) throw new Error(`expected a Stripe error, got ${String(outcome)}`);
  return outcome;
}
