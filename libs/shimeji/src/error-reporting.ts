// Error reporting as nameko-sentry does it: every unexpected worker error (not one the entrypoint
// declared) goes to Sentry with its service, method, call id stack, trace id and the worker's
// arguments, redacted. On when SENTRY_DSN is set; `reportErrors(container)` hooks a container in.
import type * as SentryApi from '@sentry/node';
import type { ServiceContainer, WorkerOutcome } from './container';
import type { Entrypoint } from './extensions';
import type { Parameter } from './parameters';
import { activeTraceIds } from './tracing';

const REDACTED = '[redacted]';
/** Names whose values never leave the process: passwords, tokens, keys, card data. */
const SECRET_NAME = /pass(word)?|secret|token|api[_-]?key|private|credential|authori[sz]ation|cookie|card|cvc|cvv|iban|signing/i;
/** Context data that is safe to report; the rest (an access token) is not. */
const REPORTED_CONTEXT = ['user_id', 'language', 'locale', 'request_id', 'reqId'];

/** `value` with every field whose name looks secret replaced, at any depth. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, SECRET_NAME.test(key) ? REDACTED : redact(item, depth + 1)]),
    );
  }
  return value;
}

/** The worker's arguments by parameter name when the entrypoint knows them, redacted. */
export function namedArguments(args: readonly unknown[], parameters: readonly Parameter[] | undefined): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  args.forEach((value, index) => {
    const name = parameters?.[index]?.name ?? `arg${index}`;
    named[name] = value;
  });
  return redact(named) as Record<string, unknown>;
}

export interface ErrorReportingOptions {
  dsn: string;
  environment?: string;
  release?: string;
}

let initialised: string | undefined;
let Sentry: typeof SentryApi;

/** Sentry's client for this process, once: from SENTRY_DSN (and SENTRY_ENVIRONMENT, SENTRY_RELEASE). */
export function startErrorReporting(env: NodeJS.ProcessEnv = process.env): boolean {
  const dsn = env['SENTRY_DSN'];
  if (!dsn) return false;
  initErrorReporting({ dsn, environment: env['SENTRY_ENVIRONMENT'], release: env['SENTRY_RELEASE'] });
  return true;
}

export function initErrorReporting(options: ErrorReportingOptions): void {
  if (initialised === options.dsn) return;
  // Loaded only when reporting is on: the SDK takes a third of a second to load.
  Sentry ??= require('@sentry/node') as typeof SentryApi;
  initialised = options.dsn;
  Sentry.init({
    dsn: options.dsn,
    ...(options.environment ? { environment: options.environment } : {}),
    ...(options.release ? { release: options.release } : {}),
    // Tracing is OpenTelemetry's (./tracing): Sentry must not install a provider of its own, nor
    // patch modules; it only sends the errors given to it.
    enableOpenTelemetrySetup: false,
    defaultIntegrations: false,
    enableRuntimeChannelInjection: false,
  });
}

/** Reports the container's unexpected worker errors; returns a function that stops it. */
export function reportErrors(container: ServiceContainer): () => void {
  return container.onWorkerFinished((outcome) => {
    if (initialised === undefined || outcome.error === undefined) return;
    const entrypoint = outcome.ctx.entrypoint as Entrypoint | undefined;
    if (entrypoint?.isExpected(outcome.error)) return;
    reportWorkerError(outcome, entrypoint);
  });
}

function reportWorkerError({ ctx, error }: WorkerOutcome, entrypoint: Entrypoint | undefined): void {
  const trace = activeTraceIds();
  const parameters = (entrypoint as { parameters?: readonly Parameter[] } | undefined)?.parameters;
  const context = Object.fromEntries(REPORTED_CONTEXT.filter((key) => ctx.data[key] !== undefined).map((key) => [key, ctx.data[key]]));
  Sentry.captureException(error, {
    tags: {
      service: ctx.serviceName,
      method: ctx.methodName,
      call_id: ctx.callId,
      ...(trace ? { trace_id: trace.traceId } : {}),
    },
    contexts: {
      worker: {
        service: ctx.serviceName,
        method: ctx.methodName,
        call_id: ctx.callId,
        call_id_stack: [...ctx.callIdStack],
        ...(trace ? { trace_id: trace.traceId, span_id: trace.spanId } : {}),
      },
    },
    extra: { arguments: namedArguments(ctx.args, parameters), context_data: redact(context) },
  });
}

/** Sends what is queued (before a process exits, or a test reads the stand-in). */
export function flushErrorReports(timeoutMs = 2_000): Promise<boolean> {
  return initialised === undefined ? Promise.resolve(true) : Sentry.flush(timeoutMs);
}
