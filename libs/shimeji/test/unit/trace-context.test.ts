// The trace context read from and written to `nameko.traceparent`/`nameko.tracestate`, by hand
// rather than through the W3C propagator (src/tracing.ts says why): it must agree with the spec.
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { alwaysOnSampler, inMemorySpanExporter, parentFromContextData, startTracing, type Tracing, withTraceHeaders } from '../../src/tracing';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';

describe('the trace context in nameko headers', () => {
  let tracing: Tracing;
  beforeAll(() => {
    tracing = startTracing({ exporter: inMemorySpanExporter(), sampler: alwaysOnSampler(), simple: true });
  });
  afterAll(() => tracing.shutdown());

  it("continues the caller's trace and keeps its tracestate", () => {
    const parent = trace.getSpanContext(parentFromContextData({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'vendor=abc,other=1' }));
    expect(parent).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, isRemote: true });
    expect(parent?.traceState?.serialize()).toBe('vendor=abc,other=1');
  });

  it.each([
    ['all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['all-zero span id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['version ff (invalid)', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['version 00 with a field too many', `00-${TRACE_ID}-${SPAN_ID}-01-extra`],
    ['upper-case digits', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ['something else', 'not a traceparent'],
  ])('starts a new trace for %s', (_case, traceparent) => {
    expect(parentFromContextData({ traceparent })).toBe(ROOT_CONTEXT);
  });

  it('continues a later version, ignoring the fields it does not know', () => {
    const parent = trace.getSpanContext(parentFromContextData({ traceparent: `01-${TRACE_ID}-${SPAN_ID}-01-future` }));
    expect(parent).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID });
  });

  it('starts a new trace when the caller sent no traceparent (a Nameko caller)', () => {
    expect(parentFromContextData({ call_id_stack: ['a.b.c'] })).toBe(ROOT_CONTEXT);
  });

  it("writes the span's own context in place of an inherited one, other headers kept in order", () => {
    const parent = parentFromContextData({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'vendor=abc' });
    const span = tracing.tracer.startSpan('child', {}, parent);
    const headers = withTraceHeaders({ 'nameko.call_id_stack': ['x'], 'nameko.traceparent': 'old', 'nameko.tracestate': 'old' }, span);
    span.end();
    expect(Object.keys(headers)).toEqual(['nameko.call_id_stack', 'nameko.traceparent', 'nameko.tracestate']);
    expect(headers['nameko.traceparent']).toBe(`00-${TRACE_ID}-${span.spanContext().spanId}-01`);
    expect(headers['nameko.tracestate']).toBe('vendor=abc');
  });

  it('says the trace is not sampled when its span is not', () => {
    const parent = parentFromContextData({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-00` });
    const span = trace.wrapSpanContext({ ...trace.getSpanContext(parent)!, spanId: 'aaaaaaaaaaaaaaaa' });
    expect(withTraceHeaders<Record<string, unknown>>({}, span)['nameko.traceparent']).toBe(`00-${TRACE_ID}-aaaaaaaaaaaaaaaa-00`);
  });
});
