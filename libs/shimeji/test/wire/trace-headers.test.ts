// Tracing on, Nameko's wire unchanged: a captured Nameko request, which carries no trace headers,
// is served as before and the nested call's call id stack is Nameko's; the trace context travels
// as two more context keys, `nameko.traceparent`/`nameko.tracestate`, which a Nameko service
// forwards like any other (so a request that comes with them continues their trace).
import { alwaysOnSampler, inMemorySpanExporter, startTracing, type Tracing } from '../../src/tracing';
import { containerFactory, eventually, testBrokerUri } from '../../src/testing';
import { type CapturedMessage, fixture } from './fixtures';
import { namekoPeers, uniqueName } from './nameko-peer';
import { echoService, relayService } from './wire-service';

const nested = fixture('rpc-request-nested.json');
const outer = nested.outer_request as CapturedMessage;
const outerCallIdStack = outer.headers!['nameko.call_id_stack'] as string[];
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('With tracing on, a Nameko request through a relay of ours', () => {
  const exporter = inMemorySpanExporter();
  let tracing: Tracing;
  beforeAll(() => {
    tracing = startTracing({ exporter, sampler: alwaysOnSampler(), simple: true });
  });
  afterAll(() => tracing.shutdown());

  const containers = containerFactory({ AMQP_URI: testBrokerUri() });
  const peers = namekoPeers();

  async function relayAndEcho() {
    const echoName = uniqueName('echo');
    const relayName = uniqueName('relay');
    await containers(echoService(echoName)).start();
    await containers(relayService(relayName, echoName)).start();
    const peer = await peers();
    peer.deleteOnClose(`rpc-${echoName}`, `rpc-${relayName}`);
    return { echoName, relayName, peer, sniffer: await peer.sniff(`${echoName}.echo`), replies: await peer.replyQueue() };
  }

  it('without trace headers is served, its call id stack as Nameko’s, in a new trace', async () => {
    const { relayName, peer, sniffer, replies } = await relayAndEcho();
    expect(Object.keys(outer.headers!).some((key) => key.includes('trace'))).toBe(false);

    await peer.publishCaptured(outer, `${relayName}.relay`, { replyTo: replies.replyTo });
    const inner = await sniffer.next();
    const reply = await replies.next();

    expect(JSON.parse(reply.content.toString('utf8'))).toEqual({ result: expect.anything(), error: null });
    const headers = inner.properties.headers!;
    expect(headers['nameko.call_id_stack']).toEqual([...outerCallIdStack, expect.stringMatching(new RegExp(`^${relayName}\\.relay\\.`))]);
    expect(String(headers['nameko.traceparent'])).toMatch(TRACEPARENT);
    expect(headers['nameko.tracestate']).toBeUndefined();
  });

  it('with a traceparent from its caller continues that trace, and passes tracestate on', async () => {
    const { relayName, peer, sniffer, replies } = await relayAndEcho();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const headers = { ...outer.headers, 'nameko.traceparent': `00-${traceId}-${callerSpan}-01`, 'nameko.tracestate': 'vendor=1' };

    await peer.publishCaptured({ ...outer, headers }, `${relayName}.relay`, { replyTo: replies.replyTo, headers });
    const inner = await sniffer.next();
    await replies.next();

    const [, innerTrace, innerParent] = TRACEPARENT.exec(String(inner.properties.headers!['nameko.traceparent']))!;
    expect(innerTrace).toBe(traceId);
    expect(inner.properties.headers!['nameko.tracestate']).toBe('vendor=1');
    // The worker's span ends after its reply is sent.
    const relayWorker = await eventually('the relay worker’s span', () => exporter.getFinishedSpans().find((s) => s.name === `${relayName}.relay`));
    expect(relayWorker.parentSpanContext?.spanId).toBe(callerSpan);
    const relayCall = exporter.getFinishedSpans().find((s) => s.spanContext().spanId === innerParent)!;
    expect(relayCall.parentSpanContext?.spanId).toBe(relayWorker.spanContext().spanId);
  });
});
