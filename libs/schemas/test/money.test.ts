// What an order may cost: only what Stripe can charge.
import { CHARGED_CURRENCIES, chargedAmount, chargedCurrency, InvalidArguments, MAXIMUM_CHARGE, refineCharge, validate, z } from '../src';

class BadRequest extends InvalidArguments {}

const Order = z.object({ amount: chargedAmount, currency: chargedCurrency }).strict().superRefine(refineCharge);

function problems(value: unknown): { field: string; message: string }[] {
  try {
    validate(Order, value, BadRequest);
    return [];
  } catch (error) {
    return (error as BadRequest).details;
  }
}

describe('what an order may cost', () => {
  it('takes any amount from the least to the most Stripe charges, in a currency it charges in', () => {
    for (const value of [{ amount: 50, currency: 'EUR' }, { amount: MAXIMUM_CHARGE, currency: 'USD' }, { amount: 30, currency: 'GBP' }, { amount: 50, currency: 'JPY' }]) {
      expect(problems(value)).toEqual([]);
    }
  });

  it('refuses more than the most Stripe charges in one payment, naming the amount', () => {
    expect(problems({ amount: 100_000_000, currency: 'EUR' })).toEqual([{ field: 'amount', message: 'must be at most 99999999, the most Stripe charges in one payment' }]);
  });

  it('refuses less than the least Stripe charges in the currency, saying how much that is', () => {
    expect(problems({ amount: 49, currency: 'EUR' })).toEqual([{ field: 'amount', message: 'must be at least 50 (0.50 EUR), the least Stripe charges' }]);
    expect(problems({ amount: 49, currency: 'JPY' })).toEqual([{ field: 'amount', message: 'must be at least 50 (50 JPY), the least Stripe charges' }]);
    expect(problems({ amount: 29, currency: 'GBP' })[0]!.message).toMatch('0.30 GBP');
  });

  it('refuses a currency Stripe does not charge in, or one written in lower case, naming the currency', () => {
    for (const currency of ['XDR', 'eur', 'ABC', '__proto__', 'constructor']) {
      expect(problems({ amount: 1500, currency }).map((p) => p.field)).toEqual(['currency']);
    }
  });

  it('names the currencies it charges in when it refuses one, and lists them as an enum in a JSON schema', () => {
    const named = `must be a currency the platform charges in, in upper case: ${CHARGED_CURRENCIES.join(', ')}`;
    expect(problems({ amount: 1500, currency: 'eur' })).toEqual([{ field: 'currency', message: named }]);
    expect(problems({ amount: 1500, currency: 15 })).toEqual([{ field: 'currency', message: named }]);
    expect(z.toJSONSchema(chargedCurrency)).toMatchObject({ type: 'string', enum: CHARGED_CURRENCIES });
  });

  it('reports a bad amount as such, whatever the currency', () => {
    expect(problems({ amount: '1500', currency: 'EUR' }).map((p) => p.field)).toEqual(['amount']);
    expect(problems({ amount: 12.5, currency: 'XDR' }).map((p) => p.field).sort()).toEqual(['amount', 'currency']);
    expect(problems({ amount: 0, currency: 'EUR' }).map((p) => p.field)).toEqual(['amount']);
    expect(problems({ amount: 100_000_000, currency: 'EUR' })).toHaveLength(1);
  });
});
