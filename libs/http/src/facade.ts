// The composition root of a facade: fastify with zod schemas, the one error shape, JWT, access
// checks, rate limits, security headers, body limits, health, OpenAPI docs and the RPC client.
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type RawServerDefault } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenIssuer } from '@platform/shimeji';
import type { Registry } from 'prom-client';
import { installAuth } from './auth';
import { type CallerCheck, installCallerCheck } from './caller-check';
import { documentedRoutes, ERROR_COMPONENT, ERROR_SCHEMA } from './documented-errors';
import { answerFrameworkError, installErrorHandler } from './error-handler';
import { ErrorTranslation } from './error-translation';
import * as httpErrors from './http-errors';
import { type LogOptions, loggerOptions } from './logging';
import { installIdempotencyKeys } from './idempotency-keys';
import { installInputLimits, type InputLimits } from './input-limits';
import { installMetrics } from './metrics';
import { installTracing } from './tracing';
import { type ReadinessCheck, unhealthy } from './readiness';
import { installNulGuard } from './nul-guard';
import { installRateLimits, type RateLimits } from './rate-limits';
import { decorateRpc, isConnected, type RpcClient } from './rpc';
import { CallerTokens } from './caller-tokens';

export type Facade = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyInstance['log'],
  ZodTypeProvider
>;

export interface FacadeOptions {
  /** The facade's name: logs, call ids (`<name>.http.<request id>`), the docs' title. */
  name: string;
  /** The JWT audience: a token made for another facade is refused. */
  audience: string;
  jwtSecret: string;
  rpcClient: RpcClient;
  /** The facade's own remote error → HTTP error translation. */
  errors?: ErrorTranslation;
  /** Lifetime of the tokens this facade signs (default '1h'). */
  tokenExpiresIn?: string;
  /** The named rate limits routes pick with `config: { limit: 'login' }` (defaults: DEFAULT_RATE_LIMITS). */
  rateLimits?: RateLimits;
  /** Largest body accepted, in bytes (default 64 KiB). */
  bodyLimit?: number;
  /** Deepest nesting, longest array and longest string a client may send (DEFAULT_INPUT_LIMITS). */
  inputLimits?: Partial<InputLimits>;
  rpcTimeoutMs?: number;
  /** `false` for no logs. */
  logger?: LogOptions | false;
  version?: string;
  description?: string;
  /** Overrides how `/ready` decides (default: the RPC client's transport is open). */
  isReady?: () => boolean | Promise<boolean>;
  /** More dependencies `/ready` checks, by the name its 503 gives a failing one. */
  readinessChecks?: Record<string, ReadinessCheck>;
  /** Checks that a token's user is still active and in the token's role (see caller-check.ts). */
  callerCheck?: CallerCheck;
  /** Where the facade's request metrics go (default: a registry of its own); served at /metrics. */
  metricsRegistry?: Registry;
  /** How it signs its callers' access tokens for the services (none: calls carry no token). */
  accessTokens?: AccessTokenOptions;
}

/** The key a facade signs its callers' access tokens with, and how long they live. */
export interface AccessTokenOptions {
  issuer: TokenIssuer;
  ttlMs: number;
}

export const DOCS_PREFIX = '/docs';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export async function buildFacade(options: FacadeOptions): Promise<Facade> {
  const app = Fastify({
    logger: loggerOptions(options.name, options.logger ?? {}),
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: answerFrameworkError,
  }).withTypeProvider<ZodTypeProvider>();

  // JSON only: any other body is 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const translation = options.errors ?? new ErrorTranslation();
  installErrorHandler(app, translation);
  installInputLimits(app, options.inputLimits);
  installIdempotencyKeys(app);
  // First of all hooks, so that the request's span covers them.
  installTracing(app);
  installNulGuard(app);
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  await app.register(helmet, { global: true });
  await installRateLimits(app, options.rateLimits);
  await installAuth(app, {
    secret: options.jwtSecret,
    audience: options.audience,
    expiresIn: options.tokenExpiresIn ?? '1h',
    openPrefixes: [DOCS_PREFIX],
  });
  const tokens = options.accessTokens && new CallerTokens({ ...options.accessTokens, audience: options.audience });
  decorateRpc(app, options.rpcClient, options.name, options.rpcTimeoutMs ?? 10_000, tokens);
  if (options.callerCheck) installCallerCheck(app, options.callerCheck);
  // Before every route of the facade's, so that each is timed.
  installMetrics(app, options.metricsRegistry);

  await app.register(swagger, {
    openapi: {
      info: { title: options.name, version: options.version ?? '0.1.0', description: options.description },
      components: {
        schemas: { [ERROR_COMPONENT]: ERROR_SCHEMA },
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The `token` POST /login answers with' } },
      },
    },
    // Each route's errors and token, from its declarations and the facade's translation.
    transform: documentedRoutes(translation),
  });
  // The token given to "Authorize" survives a reload of the page.
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, uiConfig: { persistAuthorization: true } });

  app.get('/health', { config: { access: 'public' }, schema: { hide: true } }, async () => ({ status: 'alive' }));
  app.get('/ready', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    const failing = await unhealthy({ broker: options.isReady ?? (() => isConnected(options.rpcClient)), ...options.readinessChecks });
    if (failing.length > 0) {
      const details = failing.map((field) => ({ field, message: 'unhealthy' }));
      throw new httpErrors.ServiceUnavailable(failing.includes('broker') ? 'not connected to the broker' : `unhealthy: ${failing.join(', ')}`, details);
    }
    return reply.send({ status: 'ready' });
  });

  return app;
}
