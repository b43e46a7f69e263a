// With tracing on, a worker's log lines carry its trace id and span id, so that a line leads to
// its trace and a trace to its lines.
import { Writable } from 'node:stream';
import pino from 'pino';
import { rpc, service } from '../../src';
import { containerFactory, entrypointHook, eventually, testBrokerUri } from '../../src/testing';
import { alwaysOnSampler, inMemorySpanExporter, startTracing } from '../../src/tracing';

@service('noted')
class Noted {
  @rpc async note() {
    return 'noted';
  }
}

describe('a worker’s log line with tracing on', () => {
  const containers = containerFactory();

  it('carries the trace id and span id of the worker’s span', async () => {
    const exporter = inMemorySpanExporter();
    const tracing = startTracing({ exporter, sampler: alwaysOnSampler(), simple: true });
    try {
      const lines: Record<string, unknown>[] = [];
      const stream = new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(String(chunk))), done()) });
      const container = containers(Noted, { AMQP_URI: testBrokerUri('memory') }, { logger: pino({ level: 'info' }, stream) });
      await container.start();

      await entrypointHook(container, 'note')();

      const span = await eventually('the worker’s span', () => exporter.getFinishedSpans().find((s) => s.name === 'noted.note'));
      const line = lines.find((l) => l.entrypoint === 'note' && l.callId !== undefined);
      expect(line).toMatchObject({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId });
    } finally {
      await tracing.shutdown();
    }
  });
});
