// OpenTelemetry tracing of workers, RPC calls and events. The trace context travels as the
// context data keys `traceparent`/`tracestate`, i.e. in the `nameko.traceparent` and
// `nameko.tracestate` headers: a Python Nameko service in the middle forwards them as it forwards
// any context key, and a Nameko caller that sends none is served as before (a new trace).
//
// Until `startTracing` (or `startTracingFromEnv` with an exporter configured) runs, every hook
// here is one boolean test: nothing is created, nothing exported.
import {
  type Attributes,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  INVALID_SPANID,
  INVALID_TRACEID,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Tracer,
  type TraceState,
} from '@opentelemetry/api';
import type * as ContextAsyncHooks from '@opentelemetry/context-async-hooks';
import type * as Core from '@opentelemetry/core';
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as Resources from '@opentelemetry/resources';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import type { BasicTracerProvider, InMemorySpanExporter, ReadableSpan, Sampler, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { contextHeader } from './constants';

export const TRACEPARENT_KEY = 'traceparent';
export const TRACESTATE_KEY = 'tracestate';
const TRACEPARENT_HEADER = contextHeader(TRACEPARENT_KEY);
const TRACESTATE_HEADER = contextHeader(TRACESTATE_KEY);

const TRACER_NAME = '@platform/shimeji';
/** How long a stop waits for the last spans to be exported (within a facade's 5 s close bound). */
const SHUTDOWN_BOUND_MS = 2_000;

let active: Tracing | undefined;

/** Whether spans are being made: the hooks' one test on every call's path. */
export function tracingEnabled(): boolean {
  return active !== undefined;
}

function tracer(): Tracer {
  return active!.tracer;
}

export interface TracingOptions {
  /** Where finished spans go (an OTLP exporter, an InMemorySpanExporter in tests). */
  exporter: SpanExporter;
  /** `service.name` of the process's resource (default: OTEL_SERVICE_NAME, else `shimeji`). */
  serviceName?: string;
  /** Default: the SDK's, from OTEL_TRACES_SAMPLER (parent-based always-on when unset). */
  sampler?: Sampler;
  /** Export each span as it ends (tests) rather than in batches (default). */
  simple?: boolean;
}

export class Tracing {
  readonly tracer: Tracer;
  private readonly contextManager = new (require('@opentelemetry/context-async-hooks') as typeof ContextAsyncHooks).AsyncLocalStorageContextManager();

  constructor(readonly provider: BasicTracerProvider) {
    this.tracer = provider.getTracer(TRACER_NAME);
  }

  /** @internal */
  install(): void {
    context.setGlobalContextManager(this.contextManager.enable());
    propagation.setGlobalPropagator(new (require('@opentelemetry/core') as typeof Core).W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(this.provider);
  }

  /**
   * Makes no spans until `resume`, without shutting the provider down: for a benchmark that
   * interleaves runs with tracing on and off in one process.
   */
  suspend(): void {
    if (active === this) active = undefined;
  }

  resume(): void {
    if (active && active !== this) throw new Error('another tracing is active in this process');
    activate(this);
  }

  /** Exports what is pending and stops tracing: the hooks go back to doing nothing. */
  async shutdown(boundMs = SHUTDOWN_BOUND_MS): Promise<void> {
    if (active === this) active = undefined;
    // A collector out of reach must not hold a stopping process up: the last spans are dropped.
    let bound: NodeJS.Timeout | undefined;
    const flushed = (async () => {
      await this.provider.forceFlush().catch(() => undefined);
      await this.provider.shutdown().catch(() => undefined);
    })();
    await Promise.race([flushed, new Promise<void>((resolve) => (bound = setTimeout(resolve, boundMs).unref()))]);
    clearTimeout(bound);
    this.contextManager.disable();
    trace.disable();
    context.disable();
    propagation.disable();
  }
}

function activate(tracing: Tracing): void {
  active = tracing;
}

/** Starts tracing for the whole process (one provider per process, as OpenTelemetry has it). */
export function startTracing(options: TracingOptions): Tracing {
  if (active) throw new Error('tracing is already started in this process');
  const { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor } = sdk();
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof Resources;
  const processor: SpanProcessor = options.simple ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(options.exporter);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? process.env['OTEL_SERVICE_NAME'] ?? 'shimeji' }),
    spanProcessors: [processor],
    ...(options.sampler ? { sampler: options.sampler } : {}),
  });
  const tracing = new Tracing(provider);
  tracing.install();
  activate(tracing);
  return tracing;
}

/**
 * Starts tracing with an OTLP/HTTP exporter if the environment configures one the OpenTelemetry
 * way (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_SERVICE_NAME,
 * OTEL_TRACES_SAMPLER); otherwise, or with OTEL_TRACES_EXPORTER=none or OTEL_SDK_DISABLED=true,
 * does nothing and returns undefined.
 */
export function startTracingFromEnv(defaultServiceName: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (active) return active;
  if (env['OTEL_SDK_DISABLED'] === 'true' || env['OTEL_TRACES_EXPORTER'] === 'none') return undefined;
  if (!env['OTEL_EXPORTER_OTLP_ENDPOINT'] && !env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) return undefined;
  // The exporter reads headers and timeout from process.env itself; the endpoint is passed, for
  // `env` may hold more than process.env (npm start reads a .env file).
  const url = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ?? `${env['OTEL_EXPORTER_OTLP_ENDPOINT']!.replace(/\/+$/, '')}/v1/traces`;
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttp;
  return startTracing({ exporter: new OTLPTraceExporter({ url }), serviceName: env['OTEL_SERVICE_NAME'] ?? defaultServiceName });
}

/**
 * The context a worker's span continues: the caller's, from its context data, or a new trace.
 * Parsed here rather than by the W3C propagator: this runs on every call, and the propagator's
 * general path (a carrier getter, two regular expressions, a tracestate parse) was a visible
 * part of tracing's cost per call. What the spec says a reader must refuse starts a new trace,
 * as the propagator would.
 */
export function parentFromContextData(data: Readonly<Record<string, unknown>>): Context {
  const traceparent = data[TRACEPARENT_KEY];
  if (typeof traceparent !== 'string') return ROOT_CONTEXT;
  const spanContext = parseTraceparent(traceparent);
  if (!spanContext) return ROOT_CONTEXT;
  const tracestate = data[TRACESTATE_KEY];
  if (typeof tracestate === 'string' && tracestate !== '') spanContext.traceState = traceState(tracestate);
  return trace.setSpanContext(ROOT_CONTEXT, spanContext);
}

// W3C Trace Context: a later version may append fields, which a version-00 reader ignores.
const TRACEPARENT = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})(-.*)?$/;

function parseTraceparent(value: string): SpanContext | undefined {
  const match = TRACEPARENT.exec(value);
  if (!match) return undefined;
  const version = match[1]!;
  if (version === 'ff' || (version === '00' && match[5] !== undefined)) return undefined;
  const traceId = match[2]!;
  const spanId = match[3]!;
  // The expression has checked the digits; all zeros is the one invalid value left.
  if (traceId === INVALID_TRACEID || spanId === INVALID_SPANID) return undefined;
  return { traceId, spanId, traceFlags: parseInt(match[4]!, 16), isRemote: true };
}

function traceState(value: string): TraceState {
  const { TraceState } = require('@opentelemetry/core') as typeof Core;
  return new TraceState(value);
}

function formatTraceparent({ traceId, spanId, traceFlags }: SpanContext): string {
  return `00-${traceId}-${spanId}-0${(traceFlags & TraceFlags.SAMPLED).toString(16)}`;
}

/** `headers` with the `nameko.traceparent`/`nameko.tracestate` of `span` in place of any inherited. */
export function withTraceHeaders<H extends Record<string, unknown>>(headers: H, span: Span): H {
  const spanContext = span.spanContext();
  // Copied key by key rather than spread then deleted: `delete` turns the object into a slow
  // dictionary, and amqplib walks these headers on every publish.
  const out: Record<string, unknown> = {};
  for (const key in headers) {
    if (key !== TRACEPARENT_HEADER && key !== TRACESTATE_HEADER) out[key] = headers[key];
  }
  if (spanContext.traceId === INVALID_TRACEID) return out as H;
  out[TRACEPARENT_HEADER] = formatTraceparent(spanContext);
  const state = spanContext.traceState?.serialize();
  if (state) out[TRACESTATE_HEADER] = state;
  return out as H;
}

export type WorkerSpanKind = 'rpc' | 'event' | 'timer' | 'other';

const workerSpanKinds: Record<WorkerSpanKind, SpanKind> = {
  rpc: SpanKind.SERVER,
  event: SpanKind.CONSUMER,
  timer: SpanKind.INTERNAL,
  other: SpanKind.INTERNAL,
};

/** Whether an error is one the entrypoint declared (not a failure of the span). */
export type IsExpected = (error: unknown) => boolean;

/**
 * Runs a worker inside a span `<service>.<method>` that continues the caller's trace (the
 * event's dispatch for a handler). `run` resolves with the worker's error, if any.
 */
export async function inWorkerSpan<T extends { error: unknown; ctx: { callId: string; callIdStack: readonly string[] } }>(
  serviceName: string,
  methodName: string,
  kind: WorkerSpanKind,
  data: Readonly<Record<string, unknown>>,
  isExpected: IsExpected,
  run: () => Promise<T>,
): Promise<T> {
  const parent = parentFromContextData(data);
  const span = tracer().startSpan(
    `${serviceName}.${methodName}`,
    {
      kind: workerSpanKinds[kind],
      attributes: { 'rpc.system': 'nameko', 'rpc.service': serviceName, 'rpc.method': methodName, 'shimeji.worker.kind': kind },
    },
    parent,
  );
  try {
    const outcome = await context.with(trace.setSpan(parent, span), run);
    // The call id alone: its stack is the chain of parent spans, and an array attribute is
    // validated and copied element by element on every call.
    span.setAttribute('shimeji.call_id', outcome.ctx.callId);
    if (outcome.error !== undefined) endWithError(span, outcome.error, isExpected(outcome.error));
    return outcome;
  } catch (error) {
    endWithError(span, error, false);
    throw error;
  } finally {
    span.end();
  }
}

function endWithError(span: Span, error: unknown, expected: boolean): void {
  const type = error instanceof Error ? error.constructor.name : typeof error;
  span.setAttribute('error.type', type);
  if (expected) {
    span.setAttribute('shimeji.expected_error', true);
    return;
  }
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/**
 * An outgoing RPC call in a client span, its headers carrying the span's context. `send` gets
 * the headers to publish and resolves or rejects with the reply.
 */
export function inClientSpan<H extends Record<string, unknown>>(
  service: string,
  method: string,
  headers: H,
  send: (headers: H) => Promise<unknown>,
): Promise<unknown> {
  const parent = context.active();
  const span = tracer().startSpan(
    `${service}.${method}`,
    { kind: SpanKind.CLIENT, attributes: { 'rpc.system': 'nameko', 'rpc.service': service, 'rpc.method': method } },
    parent,
  );
  const reply = send(withTraceHeaders(headers, span));
  reply.then(
    () => span.end(),
    (error: unknown) => {
      endWithError(span, error, false);
      span.end();
    },
  );
  return reply;
}

/**
 * The headers of an event being dispatched from the active context, carrying a producer span's
 * context (the span is ended at once: it marks the dispatch; its handlers' spans are its children).
 */
export function producerHeaders<H extends Record<string, unknown>>(source: string, eventType: string, headers: H): H {
  const parent = context.active();
  const span = tracer().startSpan(
    `${source}.${eventType} dispatch`,
    {
      kind: SpanKind.PRODUCER,
      attributes: { 'messaging.system': 'rabbitmq', 'messaging.operation.type': 'send', 'messaging.destination.name': `${source}.events`, 'messaging.rabbitmq.destination.routing_key': eventType },
    },
    parent,
  );
  span.end();
  return withTraceHeaders(headers, span);
}

/**
 * Runs `work` in a span of its own, child of the active one, when tracing: for a dependency's
 * calls out (Stripe, SMTP, the outbox's publish). Without tracing it is `work()`.
 */
export function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>, kind: SpanKind = SpanKind.CLIENT): Promise<T> {
  if (!active) return work();
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      endWithError(span, error, false);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A span started now and ended by the caller (for work whose start and end are in different hooks). */
export function startSpan(name: string, attributes: Attributes, kind: SpanKind = SpanKind.CLIENT): Span | undefined {
  if (!active) return undefined;
  return tracer().startSpan(name, { kind, attributes });
}

/** Ends a span of `startSpan`, failed if `error` is given. */
export function endSpan(span: Span | undefined, error?: unknown): void {
  if (!span) return;
  if (error !== undefined) endWithError(span, error, false);
  span.end();
}

/** The active span's trace and span ids, for log lines and error reports; undefined when not tracing. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  if (!active) return undefined;
  const spanContext = trace.getSpan(context.active())?.spanContext();
  return spanContext ? { traceId: spanContext.traceId, spanId: spanContext.spanId } : undefined;
}

export { SpanKind };

/** The facade's HTTP server span of a request, from its own W3C headers (or a new trace). */
export function startHttpServerSpan(
  name: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  attributes: Attributes,
): { span: Span; context: Context } | undefined {
  if (!active) return undefined;
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** Runs `fn` with `ctx` active: what the facade's hooks use to carry a request's span to its handler. */
export function withContext<T>(ctx: Context, fn: () => T): T {
  return context.with(ctx, fn);
}

/** Marks a span failed without an exception to record (an HTTP 5xx). */
export function markFailed(span: Span, message: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

// The SDK is loaded only when tracing starts: a process that never traces (npm start's
// default) does not pay the 130 ms it takes to load.
function sdk(): typeof SdkTraceBase {
  return require('@opentelemetry/sdk-trace-base') as typeof SdkTraceBase;
}

export type { InMemorySpanExporter, ReadableSpan };

/** For tests: an exporter that keeps the finished spans in memory. */
export function inMemorySpanExporter(): InMemorySpanExporter {
  return new (sdk().InMemorySpanExporter)();
}

/** For tests and benchmarks: every trace sampled, whatever OTEL_TRACES_SAMPLER says. */
export function alwaysOnSampler(): Sampler {
  return new (sdk().AlwaysOnSampler)();
}
