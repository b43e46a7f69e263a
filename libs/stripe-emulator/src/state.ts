// What the emulator remembers, in Stripe's object shapes (the fields the SDK's callers read),
// all in memory: one emulator, one account, gone when it closes.
import { randomBytes } from 'node:crypto';
import type { TestCard } from './test-cards';

export interface Customer {
  id: string;
  object: 'customer';
  created: number;
  email: string | null;
  name: string | null;
  description: string | null;
  metadata: Record<string, string>;
  invoice_settings: { default_payment_method: string | null };
  livemode: false;
}

export interface PaymentMethod {
  id: string;
  object: 'payment_method';
  type: 'card';
  card: { brand: string; last4: string; exp_month: number; exp_year: number; country: string; funding: string };
  billing_details: { address: null; email: null; name: null; phone: null };
  customer: string | null;
  created: number;
  metadata: Record<string, string>;
  livemode: false;
}

export type IntentStatus = 'requires_payment_method' | 'requires_confirmation' | 'requires_action' | 'processing' | 'succeeded' | 'canceled';

export interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  customer: string | null;
  payment_method: string | null;
  payment_method_types: string[];
  allowed_payment_method_types: string[];
  /** Whether confirming needs a return_url: Stripe's default "automatic payment methods" may redirect. */
  automatic_payment_methods: { enabled: boolean; allow_redirects?: string } | null;
  status: IntentStatus;
  description: string | null;
  metadata: Record<string, string>;
  client_secret: string;
  capture_method: 'automatic';
  confirmation_method: 'automatic';
  latest_charge: string | null;
  last_payment_error: Record<string, unknown> | null;
  next_action: Record<string, unknown> | null;
  cancellation_reason: string | null;
  canceled_at: number | null;
  created: number;
  livemode: false;
}

export interface Charge {
  id: string;
  object: 'charge';
  amount: number;
  amount_refunded: number;
  currency: string;
  customer: string | null;
  payment_intent: string;
  payment_method: string;
  status: 'succeeded' | 'failed';
  paid: boolean;
  refunded: boolean;
  failure_code: string | null;
  failure_message: string | null;
  /** The payment intent's, as it was when charged. */
  metadata: Record<string, string>;
  created: number;
  livemode: false;
}

export interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  charge: string;
  currency: string;
  payment_intent: string;
  reason: string | null;
  status: 'succeeded';
  metadata: Record<string, string>;
  created: number;
}

/** A payment method with the test card it stands for, which decides what charging it does. */
export interface StoredPaymentMethod {
  object: PaymentMethod;
  card: TestCard;
}

export class StripeState {
  readonly customers = new Map<string, Customer>();
  readonly paymentMethods = new Map<string, StoredPaymentMethod>();
  readonly paymentIntents = new Map<string, PaymentIntent>();
  readonly charges = new Map<string, Charge>();
  readonly refunds = new Map<string, Refund>();
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `cus_Q3tW…`: Stripe's prefix and 24 random letters and digits. */
export function newId(prefix: string): string {
  return `${prefix}_${[...randomBytes(24)].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}

export const now = (): number => Math.floor(Date.now() / 1000);

/** What a response carries: a copy, so later changes to the stored object do not alter a stored reply. */
export const snapshot = <T>(value: T): T => structuredClone(value);
