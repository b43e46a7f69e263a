// @platform/stripe-emulator: a Stripe-compatible server for tests and local runs. See README.md.
export { type ErrorBody, StripeApiError } from './errors';
export type { Charge, Customer, PaymentIntent, PaymentMethod, Refund } from './state';
export { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from './server';
export { TEST_CARDS, type TestCard } from './test-cards';
