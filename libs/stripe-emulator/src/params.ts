// Reading request parameters as Stripe does: every value arrives as text, so integers, booleans
// and hashes are checked here, and a parameter an endpoint does not know is refused by name.
import { errors } from './errors';
import type { FormValue, Params } from './form';

/** Parameters every endpoint accepts. */
const ALWAYS = ['expand'];

export function allowOnly(params: Params, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) if (!allowed.includes(key) && !ALWAYS.includes(key)) throw errors.unknownParameter(key);
}

export function text(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw errors.invalidParameter(name, `Invalid string: ${name} must be a string`);
  return value;
}

export function requiredText(params: Params, name: string): string {
  const value = text(params, name);
  if (value === undefined || value === '') throw errors.missingParameter(name);
  return value;
}

export function integer(params: Params, name: string): number | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw errors.invalidInteger(name, value);
  return Number(value);
}

export function boolean(params: Params, name: string): boolean {
  const value = params[name];
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw errors.invalidParameter(name, `Invalid boolean: ${String(value)}`);
}

/** A hash of strings (`metadata[key]=value`); an empty value unsets it. */
export function hash(params: Params, name: string): Record<string, string> {
  const value: FormValue | undefined = params[name];
  if (value === undefined || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw errors.invalidParameter(name, `Invalid hash: ${name} must be a hash of strings`);
  }
  return { ...(value as Record<string, string>) };
}

export function list(params: Params, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw errors.invalidParameter(name, `Invalid array: ${name}`);
  return value as string[];
}
