// The errors a route can answer with, in its OpenAPI document, from what the code declares rather
// than a list written beside it: its access (401, 403), its rate limit (429), its method (a body:
// 400 MALFORMED_JSON, 413, 415; creating or moving something: the Idempotency-Key's 422), the
// validation every route has (400), and the facade's remote-error translation (each rule names its
// HTTP error class, and the framework's own rules give 403, 503 and 504). Every one is described
// in the one error shape, with the codes that status can carry on that route.
import type { SwaggerTransform } from '@fastify/swagger';
import type { FastifySchema, RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Access } from './auth';
import type { ErrorTranslation } from './error-translation';
import * as httpErrors from './http-errors';
import { takesIdempotencyKey } from './idempotency-keys';

/** What the document reads of a route: how it is called and what its config declares. */
export interface RouteDeclarations {
  method: RouteOptions['method'];
  config?: { access?: Access; limit?: string };
}

/** fastify reads a body on these methods: malformed JSON, another content type or too much of it is refused. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const methodsOf = (method: RouteOptions['method']): string[] => (typeof method === 'string' ? [method] : [...method]).map((m) => m.toUpperCase());

/** Every HTTP error class a route can answer with (never INTERNAL), in status order. */
export function errorsOfRoute(route: RouteDeclarations, translation: ErrorTranslation): httpErrors.HttpErrorClass[] {
  const access = route.config?.access;
  const idempotent = takesIdempotencyKey(route.method);
  const errors: httpErrors.HttpErrorClass[] = [
    // Schema validation, input limits, the NUL guard and a malformed Idempotency-Key: every route.
    httpErrors.ValidationFailed,
    ...(methodsOf(route.method).some((m) => BODY_METHODS.has(m)) ? [httpErrors.MalformedJson, httpErrors.PayloadTooLarge, httpErrors.UnsupportedMediaType] : []),
    // A token and a role are checked, and so is the caller's standing where there is a caller check.
    ...(access !== undefined && access !== 'public' ? [httpErrors.Unauthorized, httpErrors.Forbidden] : []),
    ...(route.config?.limit !== undefined ? [httpErrors.TooManyRequests] : []),
    // A service refuses a reused key only where the route passes one on.
    ...translation.answers().filter((cls) => idempotent || cls !== httpErrors.IdempotencyKeyReused),
  ];
  return [...new Set(errors)].sort((a, b) => a.statusCode - b.statusCode);
}

/** The one error shape (http-errors.ts), as every error response of every facade documents it. */
export const ErrorBody = z.object({
  error: z.string().describe('What went wrong, as a code a client can act on: the response names the codes it can carry'),
  message: z.string().describe('The same in words, for a person (never a stack or an internal name)'),
  details: z
    .array(
      z.object({
        field: z.string().describe('The field at fault, as the client named it (`amount`, `Idempotency-Key`, `body`)'),
        message: z.string().describe('What is wrong with it'),
      }),
    )
    .describe('One entry per field at fault; empty when no field is'),
});

/** Where the document keeps the error shape, once, for every error response to refer to. */
export const ERROR_COMPONENT = 'Error';
export const ERROR_SCHEMA = z.toJSONSchema(ErrorBody, { target: 'openapi-3.0' }) as Record<string, unknown>;

/** The responses to document for `errors`, one per status: the codes it can carry and what each means. */
export function errorResponses(errors: readonly httpErrors.HttpErrorClass[]): Record<string, { description: string; content: object }> {
  const byStatus = new Map<number, httpErrors.HttpErrorClass[]>();
  for (const cls of errors) byStatus.set(cls.statusCode, [...(byStatus.get(cls.statusCode) ?? []), cls]);
  return Object.fromEntries(
    [...byStatus].map(([status, classes]) => [
      String(status),
      {
        description: classes.map((cls) => `- \`${cls.code}\`: ${cls.description}`).join('\n'),
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_COMPONENT}` } } },
      },
    ]),
  );
}

/**
 * The document's transform: zod → JSON Schema, then each visible route's error responses and,
 * when it is not public, the bearer token it needs. The route's own responses win.
 */
export function documentedRoutes(translation: ErrorTranslation): SwaggerTransform {
  return (document) => {
    const { schema = {}, route } = document;
    if ((schema as { hide?: boolean }).hide) return jsonSchemaTransform(document);
    const transformed = jsonSchemaTransform({ ...document, schema });
    const access = route.config?.access;
    const own = transformed.schema as FastifySchema & { response?: Record<string, unknown> };
    return {
      ...transformed,
      schema: {
        ...(access !== undefined && access !== 'public' && own.security === undefined ? { security: [{ bearer: [] }] } : {}),
        ...own,
        // A route that declares no response still shows the 200 it would have shown without its errors.
        response: { ...errorResponses(errorsOfRoute(route, translation)), ...(own.response ?? { 200: { description: 'Default Response', type: 'null' } }) },
      },
    };
  };
}
