// What an order may cost: only what Stripe can charge, so that an order accepted is an order that
// can be paid. Stripe charges in about 135 currencies, but publishes the least it charges only for
// the currencies accounts settle in (docs.stripe.com/currencies, "Minimum and maximum charge
// amounts"); below that a charge fails for good. The platform takes those currencies, whose
// minimum it knows. To take another, add it here with Stripe's minimum for it.
import { z } from 'zod';

/** The least Stripe charges, in minor units (cents; yen for JPY, a zero-decimal currency). */
export const MINIMUM_CHARGE: Readonly<Record<string, number>> = {
  AED: 200,
  AUD: 50,
  BGN: 100,
  BRL: 50,
  CAD: 50,
  CHF: 50,
  CZK: 1500,
  DKK: 250,
  EUR: 50,
  GBP: 30,
  HKD: 400,
  HUF: 17500,
  INR: 50,
  JPY: 50,
  MXN: 1000,
  MYR: 200,
  NOK: 300,
  NZD: 50,
  PLN: 200,
  RON: 200,
  SEK: 300,
  SGD: 50,
  THB: 1000,
  USD: 50,
};

/** The most Stripe charges in one payment, in minor units: eight digits, in every currency. */
export const MAXIMUM_CHARGE = 99_999_999;

/** Currencies whose amounts have no minor unit: 1500 JPY is ¥1,500, not ¥15. */
const ZERO_DECIMAL = new Set(['JPY']);

export const CHARGED_CURRENCIES: readonly string[] = Object.keys(MINIMUM_CHARGE);

/** How a human reads `amount` minor units of `currency`: `0.50 EUR`, `50 JPY`. */
export function formatMoney(amount: number, currency: string): string {
  return ZERO_DECIMAL.has(currency) ? `${amount} ${currency}` : `${(amount / 100).toFixed(2)} ${currency}`;
}

/**
 * A currency the platform charges in, as an ISO 4217 code in upper case: an enum, so that an
 * OpenAPI document built from a schema using it lists the codes.
 */
export const chargedCurrency = z.enum(CHARGED_CURRENCIES, {
  error: `must be a currency the platform charges in, in upper case: ${CHARGED_CURRENCIES.join(', ')}`,
});

/** An amount in minor units: a whole number from 1 to the most Stripe charges. */
export const chargedAmount = z.number().int({ abort: true }).min(1, { abort: true }).max(MAXIMUM_CHARGE, `must be at most ${MAXIMUM_CHARGE}, the most Stripe charges in one payment`);

/**
 * For `.superRefine` on an object with `amount` and `currency`: the amount is at least what Stripe
 * charges in that currency (reported on `amount`). An amount or currency refused on its own is
 * reported once, by `chargedAmount` or `chargedCurrency`.
 */
export function refineCharge(value: { amount: number; currency: string }, ctx: z.RefinementCtx): void {
  // zod runs an object's refinements after non-fatal problems of its fields: one problem each.
  if (!chargedAmount.safeParse(value.amount).success) return;
  const minimum = Object.hasOwn(MINIMUM_CHARGE, value.currency) ? MINIMUM_CHARGE[value.currency]! : undefined;
  if (minimum === undefined || value.amount >= minimum) return;
  ctx.addIssue({
    code: 'custom',
    path: ['amount'],
    message: `must be at least ${minimum} (${formatMoney(minimum, value.currency)}), the least Stripe charges`,
  });
}
