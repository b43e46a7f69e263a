// Stripe's request encoding: `application/x-www-form-urlencoded` with brackets for nesting,
// `metadata[order_id]=…`, `payment_method_types[0]=card`, `expand[]=…`, read back into objects
// and arrays. Query strings of GET requests use the same form.

import qs from 'qs';

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type Params = Record<string, FormValue>;

/**
 * Read with qs, whose bracket syntax is the one Stripe's SDKs write. Prototype keys are never
 * assigned; the limits keep a hostile body from building large structures.
 */
export function parseForm(text: string): Params {
  return qs.parse(text, { allowPrototypes: false, depth: 5, arrayLimit: 100, parameterLimit: 1000 }) as Params;
}

/** The same parameters in any order give the same text: what idempotency compares. */
export function fingerprint(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(fingerprint).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${fingerprint((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
