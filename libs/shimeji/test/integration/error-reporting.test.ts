// nameko-sentry's contract: an unexpected worker error is one Sentry event with the service, the
// method, the call id stack, the trace id and the arguments, secrets redacted; an expected error is
// none. A local HTTP server stands in for Sentry's ingest endpoint and receives the envelope.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { type AddressInfo } from 'node:net';
import { rpc, service } from '../../src';
import { flushErrorReports, initErrorReporting, reportErrors } from '../../src/error-reporting';
import { containerFactory, entrypointHook, eventually, testBrokerUri } from '../../src/testing';
import { alwaysOnSampler, inMemorySpanExporter, startTracing, type Tracing } from '../../src/tracing';

class NoSuchAccount extends Error {}

@service('vault')
class Vault {
  @rpc async open(accountId: string, password: string, card: { number: string; holder: string }) {
    throw new Error(`the vault's lock jammed on ${accountId} (${card.holder})`);
  }

  @rpc({ expectedExceptions: [NoSuchAccount] }) async find(accountId: string) {
    throw new NoSuchAccount(accountId);
  }
}

interface Received {
  path: string;
  body: string;
}

async function startSentryStandIn() {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      received.push({ path: request.url ?? '', body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { dsn: `http://publickey@127.0.0.1:${port}/42`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The event items of the envelopes received (an envelope: a header line, then item header and payload lines). */
function eventsIn(received: Received[]): Record<string, any>[] {
  return received.flatMap(({ body }) => {
    const lines = body.split('\n').filter(Boolean);
    const events: Record<string, any>[] = [];
    for (let i = 1; i + 1 < lines.length; i += 2) {
      const header = JSON.parse(lines[i]!) as { type: string };
      if (header.type === 'event') events.push(JSON.parse(lines[i + 1]!));
    }
    return events;
  });
}

describe('Error reporting with SENTRY_DSN set', () => {
  const containers = containerFactory({ AMQP_URI: testBrokerUri() });
  let sentry: Awaited<ReturnType<typeof startSentryStandIn>>;
  let tracing: Tracing;
  const exporter = inMemorySpanExporter();

  beforeAll(async () => {
    sentry = await startSentryStandIn();
    initErrorReporting({ dsn: sentry.dsn, environment: 'test' });
    tracing = startTracing({ exporter, sampler: alwaysOnSampler(), simple: true });
  });
  afterAll(async () => {
    await tracing.shutdown();
    await sentry.close();
  });

  it('sends one event for an unexpected error, with the call id and trace id, and no secret', async () => {
    const container = containers(Vault);
    reportErrors(container);
    await container.start();
    const open = entrypointHook(container, 'open', { user_id: 'u-7', auth_token: 'eyJhbGciOi.secret-token.sig' });

    await expect(open('acc-1', 'hunter2-password', { number: '4242424242424242', holder: 'Ada' })).rejects.toThrow('lock jammed');
    await flushErrorReports();

    const [event, ...others] = await eventually('the event at the stand-in', () => (eventsIn(sentry.received).length > 0 ? eventsIn(sentry.received) : undefined));
    expect(others).toEqual([]);
    expect(sentry.received[0]!.path).toMatch(/^\/api\/42\/envelope\/\?.*sentry_key=publickey/);
    const worker = await eventually('the worker’s span', () => exporter.getFinishedSpans().find((s) => s.name === 'vault.open'));
    expect(event).toMatchObject({
      level: 'error',
      environment: 'test',
      exception: { values: [expect.objectContaining({ type: 'Error', value: "the vault's lock jammed on acc-1 (Ada)" })] },
      tags: { service: 'vault', method: 'open', call_id: expect.stringMatching(/^vault\.open\./), trace_id: worker.spanContext().traceId },
      contexts: { worker: { service: 'vault', method: 'open', call_id_stack: [expect.stringMatching(/^vault\.open\./)], trace_id: worker.spanContext().traceId } },
      extra: {
        arguments: { accountId: 'acc-1', password: '[redacted]', card: '[redacted]' },
        context_data: { user_id: 'u-7' },
      },
    });
    const everything = sentry.received.map((r) => r.body).join('\n');
    for (const secret of ['hunter2', '4242424242424242', 'secret-token']) expect(everything).not.toContain(secret);
  });

  it('sends nothing for an error the method declared', async () => {
    const container = containers(Vault);
    reportErrors(container);
    await container.start();
    const before = eventsIn(sentry.received).length;

    await expect(entrypointHook(container, 'find')('acc-2')).rejects.toThrow(NoSuchAccount);
    await flushErrorReports();

    expect(eventsIn(sentry.received).length).toBe(before);
  });
});
