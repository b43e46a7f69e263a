// An entrypoint's arguments declared once, as a zod object whose keys are the parameters in
// order: the framework binds positional args and kwargs (camelCase or snake_case) to the keys and
// validates before the worker runs, so the method receives checked, normalised values.
import type { EntrypointArguments } from '@platform/shimeji';
import type { z } from 'zod';
import { type BadRequestClass, validate } from './index';

/**
 * `@rpc({ args: argumentsOf(schemas.PayOrder, exc.BadRequest) })` over
 * `z.object({ orderId, paymentMethodId }).strict()`: the method is called as
 * `payOrder(orderId, paymentMethodId)` with the parsed values, or the caller gets
 * `BadRequest('orderId: Invalid UUID', [{ field: 'orderId', message: 'Invalid UUID' }])`.
 */
export function argumentsOf(schema: z.ZodObject, BadRequest: BadRequestClass): EntrypointArguments {
  const names = Object.keys(schema.shape);
  const parameters = names.map((name) => ({ name, optional: schema.shape[name]!.safeParse(undefined).success, rest: false }));
  return {
    parameters,
    parse(values) {
      const given = Object.fromEntries(names.map((name, i) => [name, values[i]]));
      const parsed = validate(schema, given, BadRequest) as Record<string, unknown>;
      return names.map((name) => parsed[name]);
    },
  };
}

/**
 * The options every entrypoint of one service shares, declared once:
 * `const takes = entrypointOptions(exc.BadRequest, expected)`, then `@rpc(takes(schemas.GetUser))`.
 */
export function entrypointOptions(BadRequest: BadRequestClass, expectedExceptions: (abstract new (...args: any[]) => Error)[]) {
  return (schema: z.ZodObject) => ({ args: argumentsOf(schema, BadRequest), expectedExceptions });
}
