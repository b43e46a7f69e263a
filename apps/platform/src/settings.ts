// The settings of `npm start`, checked before anything starts: a bad value found once a service
// or a facade has started is a stack trace among log lines and a half-started platform; found
// here, it is one list naming every variable that is wrong and what it should be.
import { parseRateLimit } from '@platform/http';
import { z } from '@platform/schemas';
import path from 'node:path';
import { loadConfigFile, parseDuration, type ServiceConfig } from '@platform/shimeji';
import { LOWEST_SCRYPT_COST, PRODUCTION_SCRYPT_COST, scryptCostProblem } from '@platform/user-service/password-policy';
import { developmentValuesInUse, platformDevelopmentValues } from './development-defaults';

export const CONFIG_FILE = path.resolve(__dirname, '..', 'config.yaml');

/**
 * The facades' `<NAME>_PORT`s, named here rather than read from FACADES: importing the facades
 * (fastify and every service with them) would delay this check by half a second.
 */
export const FACADE_PORT_VARIABLES = ['WEB_PORT', 'ADMIN_PORT', 'SUPPORT_PORT'] as const;

export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the settings are not usable:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  }
}

const isSet = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

// Environment values are text, config.yaml's are typed by YAML (`587` is a number): both count.
const wholeNumber = (value: unknown): unknown => {
  if (typeof value === 'number') return value;
  const text = String(value).trim();
  return /^\d+$/.test(text) ? Number(text) : value;
};

const port = (lowest: 0 | 1, error = `expected a port number, ${lowest} to 65535`) =>
  z.preprocess(wholeNumber, z.number({ error }).int({ error }).min(lowest, { error }).max(65_535, { error }));
/** Empty means "not set" here, as in config.yaml (`${SMTP_HOST:}`). */
const unlessEmpty = <S extends z.ZodType>(schema: S) => z.preprocess((value) => (isSet(value) ? value : undefined), schema.optional());
const facadePort = unlessEmpty(port(0, 'expected a port number, 0 to 65535 (0 for any free port)'));
const text = (error: string) => z.string({ error }).min(1, { error });
const optionalUrl = (schemes: string[], example: string) =>
  unlessEmpty(z.string({ error: `expected a URL such as ${example}` }).regex(new RegExp(`^(${schemes.join('|')})://\\S+$`), { error: `expected a URL such as ${example}` }));
const optionalEmail = unlessEmpty(z.email({ error: 'expected an email address' }));

const DATABASE_URL = optionalUrl(['postgres', 'postgresql'], 'postgres://user:password@host:5432/db (empty: embedded PGlite)');

/** Every setting `npm start` reads, by the name of the variable that sets it. */
export const settingsSchema = z.object({
  AMQP_URI: z.string().regex(/^(amqps?|memory):\/\/\S*$/, { error: 'expected amqp://…, amqps://… or memory://…' }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    error: 'expected one of fatal, error, warn, info, debug, trace, silent',
  }),
  METRICS_PORT: unlessEmpty(z.union([z.literal('off'), port(0)], { error: 'expected a port number, 0 to 65535, or off' })),
  METRICS_HOST: unlessEmpty(z.string().regex(/^\S+$/, { error: 'expected an address to listen on, such as 127.0.0.1 or 0.0.0.0' })),
  MAX_WORKERS: z.preprocess(wholeNumber, z.number({ error: 'expected a whole number of at least 1' }).int().min(1, { error: 'expected a whole number of at least 1' })),
  USER_DATABASE_URL: DATABASE_URL,
  PROJECT_DATABASE_URL: DATABASE_URL,
  PAYMENT_DATABASE_URL: DATABASE_URL,
  MESSAGING_DATABASE_URL: DATABASE_URL,
  PASSWORD_SCRYPT_COST: z.preprocess(
    wholeNumber,
    z.number().refine((cost) => scryptCostProblem(cost, false) === undefined, { error: `expected a power of two of at least ${LOWEST_SCRYPT_COST}, such as ${PRODUCTION_SCRYPT_COST}` }),
  ),
  INITIAL_ADMIN_EMAIL: optionalEmail,
  INITIAL_SUPPORT_EMAIL: optionalEmail,
  STRIPE_API_KEY: text('expected a Stripe secret key such as sk_test_…'),
  STRIPE_API_BASE: optionalUrl(['http', 'https'], 'http://127.0.0.1:12111 (empty: Stripe, or the emulator with the local key)'),
  STRIPE_TIMEOUT_MS: z.preprocess(wholeNumber, z.number({ error: 'expected a whole number of milliseconds, at least 100' }).int().min(100, { error: 'expected a whole number of milliseconds, at least 100' })),
  STRIPE_EMULATOR_PORT: facadePort,
  MAIL_PAGE_PORT: unlessEmpty(z.union([z.literal('off'), port(0)], { error: 'expected a port number, 0 to 65535 (0 for any free port), or off' })),
  PAYMENT_AUTHENTICATION_TIMEOUT: z.unknown().refine((value) => (parseDuration(value) ?? 0) >= 1, { error: 'expected a duration such as 15m or 90s' }),
  SMTP_HOST: unlessEmpty(
    z.string().regex(/^[^\s/:]+$|^\[[0-9a-f:.]+\]$/i, {
      error: 'expected a host name or address such as smtp.example.com (no scheme, no port: that is SMTP_PORT), or nothing for .eml files',
    }),
  ),
  SMTP_PORT: port(1),
  SMTP_SECURE: z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])], { error: 'expected true or false' }),
  MAIL_FROM: text('expected a sender such as "Platform" <no-reply@platform.local>'),
  JWT_SECRET: text('expected the key the facades sign their tokens with'),
  HOST: unlessEmpty(z.string().regex(/^\S+$/, { error: 'expected an address to listen on, such as 127.0.0.1 or 0.0.0.0' })),
  ...Object.fromEntries(FACADE_PORT_VARIABLES.map((variable) => [variable, facadePort])),
});

export type Settings = z.infer<typeof settingsSchema>;

/** The variables that set config keys of another name. */
const CONFIG_KEY_OF: Record<string, string> = { LOG_LEVEL: 'logLevel', MAX_WORKERS: 'maxWorkers' };

/** What the process reads only from the environment, never through config.yaml. */
const ENVIRONMENT_ONLY = ['STRIPE_EMULATOR_PORT', 'MAIL_PAGE_PORT', 'HOST', ...FACADE_PORT_VARIABLES];

/** Each rate limit the config sets (shared and per facade), checked as the facades will read it. */
function rateLimitProblems(config: ServiceConfig): string[] {
  const problems: string[] = [];
  for (const [variable, value] of Object.entries(config)) {
    if (!variable.endsWith('_RATE_LIMIT') || !isSet(value)) continue;
    try {
      parseRateLimit(value, variable);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return problems;
}

/** `VARIABLE is "value": expected …`, one line per problem, in the config file's order. */
function describe(issues: readonly z.core.$ZodIssue[], values: Record<string, unknown>): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const issue of issues) {
    const variable = String(issue.path[0] ?? '(settings)');
    if (seen.has(variable)) continue;
    seen.add(variable);
    const value = values[variable];
    lines.push(`${variable} is ${value === undefined ? 'not set' : JSON.stringify(value)}: ${issue.message}`);
  }
  return lines;
}

/**
 * The platform's config (config.yaml filled in from `env`), checked: throws a SettingsError
 * naming every variable that is wrong, not only the first; under NODE_ENV=production, also every
 * one that holds a development default.
 */
export function checkSettings(env: NodeJS.ProcessEnv): ServiceConfig {
  const config = loadConfigFile(CONFIG_FILE, env);
  const values: Record<string, unknown> = { ...config };
  for (const [variable, key] of Object.entries(CONFIG_KEY_OF)) values[variable] = config[key];
  for (const variable of ENVIRONMENT_ONLY) values[variable] = env[variable];
  const result = settingsSchema.safeParse(values);
  const problems = [...(result.success ? [] : describe(result.error.issues, values)), ...rateLimitProblems(config)];
  // Production must not run on what the repository makes public: config.yaml's defaults (read
  // with no environment) and the committed development keys.
  if (env.NODE_ENV === 'production') {
    problems.push(...developmentValuesInUse(config, platformDevelopmentValues(loadConfigFile(CONFIG_FILE, {}))));
    const cost = Number(config.PASSWORD_SCRYPT_COST);
    if (result.success && scryptCostProblem(cost, true)) problems.push(scryptCostProblem(cost, true)!);
  }
  if (problems.length > 0) throw new SettingsError(problems);
  return config;
}
