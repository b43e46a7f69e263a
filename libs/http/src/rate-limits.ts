// Named rate limits. A route says which limit applies (`config: { limit: 'login' }`); the facade
// says how much that is (`buildFacade({ rateLimits: { login: { max: 5, timeWindow: '1 minute' } } })`,
// `false` for none); `startFacade` reads them from the config as `<max>/<window>` or `off`:
// `LOGIN_RATE_LIMIT=10/minute`, `WEB_LOGIN_RATE_LIMIT=100/10 seconds` for the web facade alone.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import * as httpErrors from './http-errors';

export interface RateLimit {
  /** Requests per client address within one window (at least 1). */
  max: number;
  /** Milliseconds, or a duration such as `'minute'`, `'1 minute'` or `'10 seconds'`. */
  timeWindow: number | string;
}

/** Routes that invite guessing (`login`) and routes that move money (`payment`). */
export const DEFAULT_RATE_LIMITS = {
  login: { max: 10, timeWindow: '1 minute' },
  payment: { max: 20, timeWindow: '1 minute' },
} as const satisfies Record<string, RateLimit>;

export type RateLimitName = keyof typeof DEFAULT_RATE_LIMITS;

/** A facade's limits: any not given keeps its default; `false` turns one off. */
export type RateLimits = { [name in RateLimitName]?: RateLimit | false };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Which of the facade's rate limits applies to this route. */
    limit?: RateLimitName;
  }
}

const MS_PER_UNIT: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

const FORMAT = "<max>/<window> such as 10/minute or 100/10 seconds, or off";

/** `'minute'`, `'1 minute'`, `'10 seconds'`, `'500ms'` in milliseconds; undefined for anything else. */
function durationMs(text: string): number | undefined {
  const match = /^(\d+)?\s*([a-z]+)$/i.exec(text.trim());
  const unit = match ? MS_PER_UNIT[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) return undefined;
  const count = match[1] === undefined ? 1 : Number(match[1]);
  return count > 0 ? count * unit : undefined;
}

/** `10/minute`, `100/10 seconds` or `off` (false); anything else throws naming `variable`. */
export function parseRateLimit(value: unknown, variable: string): RateLimit | false {
  const text = String(value).trim();
  if (text.toLowerCase() === 'off') return false;
  const match = /^(\d+)\s*\/\s*(.+)$/.exec(text);
  const max = match ? Number(match[1]) : 0;
  const timeWindow = match ? durationMs(match[2]!) : undefined;
  if (!match || timeWindow === undefined || !Number.isSafeInteger(max) || max < 1) {
    throw new Error(`${variable} is ${JSON.stringify(text)}: expected ${FORMAT}`);
  }
  return { max, timeWindow };
}

const isSet = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

/**
 * The limits the config sets for facade `name`: `<NAME>_LOGIN_RATE_LIMIT` for this facade alone,
 * else `LOGIN_RATE_LIMIT` (and so on for each limit); an empty or absent value keeps the default.
 */
export function rateLimitsFromConfig(config: Record<string, unknown>, name: string): RateLimits {
  const limits: RateLimits = {};
  for (const limit of Object.keys(DEFAULT_RATE_LIMITS) as RateLimitName[]) {
    const variable = `${limit.toUpperCase()}_RATE_LIMIT`;
    const own = `${name.toUpperCase()}_${variable}`;
    const chosen = isSet(config[own]) ? own : isSet(config[variable]) ? variable : undefined;
    if (chosen !== undefined) limits[limit] = parseRateLimit(config[chosen], chosen);
  }
  return limits;
}

/** A limit as @fastify/rate-limit takes it, checked: a window it cannot read would become its default. */
function checked(limit: RateLimit | false, name: string): { max: number; timeWindow: number } | false {
  if (limit === false) return false;
  const timeWindow = typeof limit.timeWindow === 'number' ? limit.timeWindow : durationMs(limit.timeWindow);
  if (!Number.isSafeInteger(limit.max) || limit.max < 1) {
    throw new Error(`rateLimits.${name}.max is ${limit.max}: expected a whole number of requests, at least 1 (false turns the limit off)`);
  }
  if (timeWindow === undefined || !Number.isFinite(timeWindow) || timeWindow <= 0) {
    throw new Error(`rateLimits.${name}.timeWindow is ${JSON.stringify(limit.timeWindow)}: expected milliseconds or a duration such as '1 minute'`);
  }
  return { max: limit.max, timeWindow };
}

/**
 * Registers @fastify/rate-limit for the routes that name a limit, answering 429 in the one error
 * shape with `retry-after` (seconds) and the `x-ratelimit-*` headers.
 */
export async function installRateLimits(app: FastifyInstance, configured: RateLimits = {}): Promise<void> {
  const limits = Object.fromEntries(
    (Object.keys(DEFAULT_RATE_LIMITS) as RateLimitName[]).map((name) => [name, checked(configured[name] ?? DEFAULT_RATE_LIMITS[name], name)]),
  ) as Record<RateLimitName, { max: number; timeWindow: number } | false>;

  // Runs before the plugin's own onRoute hook (added below), which reads `config.rateLimit`.
  app.addHook('onRoute', (route) => {
    const name = route.config?.limit;
    if (name === undefined) return;
    if (!Object.hasOwn(limits, name)) {
      throw new Error(`${route.method} ${route.url} names the rate limit '${name}': there are ${Object.keys(limits).join(', ')}`);
    }
    route.config = { ...route.config, rateLimit: limits[name] };
  });

  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => new httpErrors.TooManyRequests(`too many requests: try again in ${context.after}`),
  });
}
