// Input is validated at the entrypoint and turned into the caller's typed BadRequest naming each
// field; output is dumped through a schema so internal fields never leak.
import type { FieldProblem } from '@platform/shimeji';
import { z } from 'zod';
import { fieldsWithNul, NUL_MESSAGE } from './nul-characters';

export { z };
export { fieldsWithNul, NUL_MESSAGE } from './nul-characters';

/**
 * An optional argument: absent, `undefined` or `null` all mean "not given", because a caller's
 * `undefined` in a positional argument list travels as JSON `null`.
 */
export function optional<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === null ? undefined : value), schema.optional());
}

export { type FieldProblem, InvalidArguments } from '@platform/shimeji';

/** An error class whose instances carry the field problems (the service's own BadRequest). */
export type BadRequestClass = new (message: string, details: FieldProblem[]) => Error;

export function problemsOf(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : '(arguments)',
    message: issue.message,
  }));
}

/**
 * The parsed value, or `BadRequest('email: Invalid email address; …', problems)`. Strings holding
 * a NUL character are refused whatever the schema says (see nul-characters.ts).
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, BadRequest: BadRequestClass): z.output<S> {
  const withNul = fieldsWithNul(value);
  if (withNul.length > 0) {
    const problems = withNul.map((field) => ({ field, message: NUL_MESSAGE }));
    throw new BadRequest(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = problemsOf(parsed.error);
  throw new BadRequest(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
}

/** The value as the schema shapes it: fields the schema does not name are left out. */
export function dump<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  return schema.parse(value);
}
export { argumentsOf, entrypointOptions } from './entrypoint-arguments';
export { CHARGED_CURRENCIES, chargedAmount, chargedCurrency, formatMoney, MAXIMUM_CHARGE, MINIMUM_CHARGE, refineCharge } from './money';
export { EXAMPLE, timestampField } from './examples';
export { ORDER_STATUSES, type OrderStatus } from './order-status';
export { ROLE, STAFF, USER_ROLES, type UserRole } from './roles';
export { TRANSACTION_STATES, type TransactionState } from './transaction-state';
export { USER_STATUSES, type UserStatus } from './user-status';
export { chargeFields, orderFields, projectFields, userFields } from './shown-fields';
