// Every failure leaves as `{ error, message, details }`: validation (naming the field), malformed
// JSON, wrong content type, body too large, unknown routes, remote errors (through the facade's
// translation) and anything unexpected (INTERNAL, logged, never shown).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorTranslation } from './error-translation';
import * as httpErrors from './http-errors';

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

export function installErrorHandler(app: FastifyInstance, translation: ErrorTranslation): void {
  app.setNotFoundHandler((request, reply) => {
    const error = new httpErrors.NotFound(`no route ${request.method} ${request.url.split('?')[0]}`);
    void reply.code(error.statusCode).send(error.toBody());
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const http = toHttpError(error, translation);
    if (http.statusCode >= 500) request.log.error({ err: error }, `${request.method} ${request.url} failed`);
    else if (!(error instanceof httpErrors.HttpError)) request.log.info({ code: http.code }, error.message);
    void reply.code(http.statusCode).headers(http.headers).send(http.toBody());
  });
}

/**
 * What fastify's router answers itself, before any hook or the error handler, unless given this:
 * a path parameter longer than it takes (its 414) or a path that is not valid percent-encoding (its
 * 400), each in fastify's own shape. Neither path names anything a route could find, so both are
 * the 400 every route documents, in the one error shape, naming the path.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'a part of the path is longer than any id or name'
      : error.code === 'FST_ERR_BAD_URL'
        ? 'the path is not valid percent-encoding'
        : undefined;
  const http = message === undefined ? new httpErrors.Internal('something went wrong') : new httpErrors.ValidationFailed(`invalid path: ${message}`, [{ field: 'path', message }]);
  if (message === undefined) request.log.error({ err: error }, `${request.method} ${request.url} failed in the router`);
  void reply.code(http.statusCode).send(http.toBody());
}

function toHttpError(error: FastifyError, translation: ErrorTranslation): httpErrors.HttpError {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'request';
    const details = (error.validation as ValidationIssue[]).flatMap(detailsOfIssue);
    return new httpErrors.ValidationFailed(
      `invalid ${where}: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
      details,
    );
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new httpErrors.MalformedJson('the body is not valid JSON', [{ field: 'body', message: error.message }]);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new httpErrors.UnsupportedMediaType('send the body as application/json', [
        { field: 'content-type', message: 'must be application/json' },
      ]);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new httpErrors.PayloadTooLarge('the body is too large', [{ field: 'body', message: error.message }]);
  }
  if (error.statusCode === 429 && !(error instanceof httpErrors.HttpError)) {
    return new httpErrors.TooManyRequests('too many requests, slow down');
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return new httpErrors.MalformedJson('the body is not valid JSON', [{ field: 'body', message: error.message }]);
  }
  return translation.translate(error);
}

function detailsOfIssue(issue: ValidationIssue): httpErrors.ErrorDetail[] {
  const path = issue.instancePath.split('/').filter(Boolean);
  const keys = issue.params?.keys;
  if (issue.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
    return keys.map((key) => ({ field: [...path, String(key)].join('.'), message: 'unknown field' }));
  }
  return [{ field: path.join('.') || '(root)', message: issue.message ?? issue.keyword }];
}
