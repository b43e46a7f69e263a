// Our services and real Python Nameko 2.x services on one broker, calling each other both ways
// and handling each other's events. Runs where Nameko is installed (see nameko-runtime.ts);
// elsewhere it says why it did not run.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import * as amqp from 'amqplib';
import {
  ClusterEventDispatcher,
  type ClusterRpcClient,
  ErrorRegistry,
  IncorrectSignature,
  MethodNotFound,
  parseJson,
  RemoteError,
  UnknownService,
} from '../../src';
import { containerFactory, entrypointWaiter, rpcClientFactory, testBrokerUri } from '../../src/testing';
import { findNameko, type NamekoRuntime } from './nameko-runtime';
import { TsEchoService } from './ts-echo-service';
import { type Seen, TsAuditorService, TsEventsService } from './ts-event-services';

const runtime = findNameko();
const available = 'python' in runtime;
if (!available) console.warn(`[interop] live Nameko tests not run: ${runtime.missing}`);
const describeLive = available ? describe : describe.skip;

const here = __dirname;

/** The durable queues and exchanges the events tests make Nameko and us declare. */
const EVENT_TOPOLOGY = {
  queues: [
    'rpc-pylistener',
    'rpc-tsevents',
    'evt-pyecho-py_happened--tsevents.onPool',
    'evt-pyecho-py_happened',
    'evt-tsevents-ts_happened--pylistener.on_pool',
    'evt-tsevents-ts_happened',
    'evt-tsevents-shared_happened',
  ],
  exchanges: ['pyecho.events', 'tsevents.events'],
};

/** What a Nameko handler of pylistener recorded (nameko_peer.py). */
interface NamekoSeen {
  payload: { marker?: string; i?: number };
  data: Record<string, unknown>;
  call_id_stack: string[];
}

const CONTEXT = { user_id: 'ts-user', language: 'fr-fr', custom_key: 'custom' };
const callIdOf = (stackEntry: string) => new RegExp(`^${stackEntry.replace(/\./g, '\\.')}\\.[0-9a-f-]{36}$`);
const standaloneCallId = () => `standalone_rpc_proxy.call.${randomUUID()}`;

/** Calls until the service answers: at once UnknownService while its queue is missing, then the call waits for Nameko. */
async function untilServing(client: ClusterRpcClient, service: string, method: string, args: unknown[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await client.call(service, method, args);
      return;
    } catch (error) {
      if (!(error instanceof UnknownService) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Asks until `probe` finds something, or fails after `timeoutMs`. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function runToEnd(nameko: NamekoRuntime, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(nameko.python, args, { cwd: here, env: nameko.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', () => resolve({ stdout, stderr }));
  });
}

describeLive('a live Python Nameko 2.x cluster', () => {
  const nameko = runtime as NamekoRuntime;
  const uri = testBrokerUri();
  const containers = containerFactory({ AMQP_URI: uri });
  const clients = rpcClientFactory({ uri, timeoutMs: 10_000 });
  let peer: ChildProcess | undefined;

  beforeEach(async () => {
    await containers(TsEchoService).start();
    peer = spawn(nameko.python, ['-m', 'nameko', 'run', 'nameko_peer', '--broker', uri], {
      cwd: here,
      env: nameko.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // Until Nameko declares its queue the call fails at once (UnknownService); once the durable
    // queue exists (from an earlier test too), the call waits there until Nameko consumes it.
    await untilServing(await clients({ timeoutMs: 30_000 }), 'pyecho', 'echo', ['ready?']);
  }, 60_000);

  afterEach(async () => {
    if (!peer) return;
    const exited = new Promise((resolve) => peer!.once('exit', resolve));
    peer.kill('SIGTERM');
    await exited;
  }, 30_000);

  afterAll(async () => {
    const connection = await amqp.connect(uri);
    const channel = await connection.createChannel();
    for (const queue of EVENT_TOPOLOGY.queues) await channel.deleteQueue(queue);
    for (const exchange of EVENT_TOPOLOGY.exchanges) await channel.deleteExchange(exchange);
    await connection.close();
  });

  /** Waits until Nameko's pylistener consumes: its event queues are declared with its RPC queue, on one consumer. */
  const pylistenerReady = async () => untilServing(await clients({ timeoutMs: 30_000 }), 'pylistener', 'received', ['pool']);

  /** The records of one pylistener handler that carry `marker`, once there are `count` of them. */
  const namekoReceived = async (kind: string, marker: string, count = 1) => {
    const client = await clients();
    return eventually(`pylistener ${kind} handler got ${count} event(s) ${marker}`, async () => {
      const seen = ((await client.call('pylistener', 'received', [kind])) as NamekoSeen[]).filter((s) => s.payload.marker === marker);
      return seen.length >= count ? seen : undefined;
    });
  };

  it('serves a Nameko client: results, kwargs, context, errors, call_async', async () => {
    // Not spawnSync: our service runs in this very process and must keep answering.
    const run = await runToEnd(nameko, [path.join(here, 'nameko_client.py'), uri]);
    expect(run.stderr).not.toMatch(/Traceback/);
    // Read as our wire reads it: Python's big integers must not be rounded here either.
    const results = parseJson(run.stdout.trim().split('\n').pop()!) as Record<string, any>;
    expect(results.echo).toEqual({ result: { a: [1, 2.5, null, true], s: 'hi' } });
    expect(results.kwargs).toEqual({ result: 'hola, Ada' });
    expect(results.context.result.data).toEqual({ user_id: 'py-user', language: 'es-es' });
    expect(results.context.result.callIdStack[0]).toMatch(/^standalone_rpc_proxy\.call\./);
    expect(results.registered).toEqual({ raised: 'Refused', str: 'not today' });
    expect(results.unregistered).toEqual({ raised: 'RemoteError', str: 'TypeError it broke' });
    expect(results.no_method).toEqual({ raised: 'MethodNotFound', str: 'no_such_method' });
    expect(results.signature.raised).toBe('IncorrectSignature');
    expect(results.round_trip).toEqual({ result: { typescript_saw: 'ping!' } });
    expect(results.parallel).toEqual({ result: [0, 1, 2, 3, 4] });
    expect(results.void).toEqual({ result: null });
    expect(results.big).toEqual({ result: { id: 2n ** 63n - 1n, ids: [-(2n ** 53n) - 1n] } });
    expect(results.big_type).toEqual({ result: 'bigint' });
  }, 60_000);

  it('calls a Nameko service: results, kwargs, its errors as our types, calls back into us', async () => {
    class Declined extends Error {}
    const errors = new ErrorRegistry().register('nameko_peer.Declined', Declined);
    const client = await clients({ errors });
    const pyecho = client.service<{
      echo(value: unknown, suffix?: string): unknown;
      nothing(): null;
      decline(reason: string): never;
      ask_ts(value: unknown): unknown;
      ask_ts_to_refuse(): unknown;
    }>('pyecho');
    await expect(pyecho.echo('hi', '?')).resolves.toBe('hi?');
    await expect(pyecho.nothing()).resolves.toBeNull();
    await expect(pyecho.echo({ id: 2n ** 63n - 1n })).resolves.toEqual({ id: 2n ** 63n - 1n });
    await expect(client.call('pyecho', 'echo', [], { kwargs: { value: 'kw', suffix: '!' } })).resolves.toBe('kw!');
    await expect(pyecho.decline('card declined')).rejects.toEqual(new Declined('card declined'));
    const unregistered = (await (await clients()).call('pyecho', 'decline', ['x']).catch((e: unknown) => e)) as RemoteError;
    expect(unregistered).toBeInstanceOf(RemoteError);
    expect(unregistered.excPath).toBe('nameko_peer.Declined');
    await expect(client.call('pyecho', 'nothing_here', [])).rejects.toEqual(new MethodNotFound('nothing_here'));
    await expect(client.call('pyecho', 'echo', [1, 2, 3])).rejects.toBeInstanceOf(IncorrectSignature);
    await expect(pyecho.ask_ts({ n: 1 })).resolves.toEqual({ python_saw: { n: 1 } });
    await expect(pyecho.ask_ts_to_refuse()).resolves.toEqual({ caught: 'TsRefused', message: 'no way' });
  }, 60_000);

  it("hands a Nameko service's event to our handlers of every type, with the caller's context and call id stack", async () => {
    const container = containers(TsEventsService);
    await container.start();
    const marker = randomUUID();
    const ours = (outcome: { ctx: { args: readonly unknown[] } }) => (outcome.ctx.args[0] as { marker?: string }).marker === marker;
    const handled = ['onPool', 'onBroadcast', 'onSingleton'].map((method) =>
      entrypointWaiter(container, method, { predicate: ours, timeoutMs: 15_000 }),
    );
    const callId = standaloneCallId();

    const client = await clients({ contextData: CONTEXT });
    await expect(client.call('pyecho', 'emit', ['py_happened', { marker }], { callId })).resolves.toBeNull();

    for (const [i, method] of ['onPool', 'onBroadcast', 'onSingleton'].entries()) {
      const { result, error } = await handled[i]!;
      expect(error).toBeUndefined();
      expect(result).toEqual<Seen>({
        payload: { marker },
        data: CONTEXT,
        callIdStack: [callId, expect.stringMatching(callIdOf('pyecho.emit')), expect.stringMatching(callIdOf(`tsevents.${method}`))],
      });
    }
  }, 60_000);

  it("delivers our worker's event to Nameko's service pool, broadcast and singleton handlers, with its context", async () => {
    await containers(TsEventsService).start();
    await pylistenerReady();
    const marker = randomUUID();
    const callId = standaloneCallId();

    const client = await clients({ contextData: CONTEXT });
    await expect(client.call('tsevents', 'announce', ['ts_happened', { marker }], { callId })).resolves.toBeNull();

    for (const kind of ['pool', 'broadcast', 'singleton']) {
      const [seen] = await namekoReceived(kind, marker);
      expect(seen).toEqual<NamekoSeen>({
        payload: { marker },
        data: CONTEXT,
        call_id_stack: [
          callId,
          expect.stringMatching(callIdOf('tsevents.announce')),
          expect.stringMatching(callIdOf(`pylistener.on_${kind}`)),
        ],
      });
    }
    // Each handler once: a second copy would have arrived by now, right behind the first.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const kind of ['pool', 'broadcast', 'singleton']) await expect(namekoReceived(kind, marker)).resolves.toHaveLength(1);
  }, 60_000);

  it('shares a singleton queue with a Nameko handler, each event handled once by one of them', async () => {
    await pylistenerReady();
    // Nameko declared evt-tsevents-shared_happened: our start would fail on any flag of it we declared otherwise.
    const marker = randomUUID();
    const count = 20;
    const auditor = containers(TsAuditorService);
    const tsSeen: number[] = [];
    auditor.onWorkerFinished(({ ctx, error }) => {
      const payload = ctx.args[0] as { marker?: string; i: number };
      if (payload.marker === marker && error === undefined) tsSeen.push(payload.i);
    });
    await auditor.start();

    const dispatcher = await ClusterEventDispatcher.connect({ uri });
    try {
      for (let i = 0; i < count; i++) await dispatcher.dispatch('tsevents', 'shared_happened', { marker, i });
    } finally {
      await dispatcher.close();
    }
    const client = await clients();
    const pySeen = await eventually('every shared event handled', async () => {
      const seen = ((await client.call('pylistener', 'received', ['shared_singleton'])) as NamekoSeen[]).filter(
        (s) => s.payload.marker === marker,
      );
      return seen.length + tsSeen.length >= count ? seen : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));

    const namekoIs = pySeen.map((s) => s.payload.i!);
    expect([...namekoIs, ...tsSeen].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(namekoIs.length).toBeGreaterThan(0);
    expect(tsSeen.length).toBeGreaterThan(0);
    // The standalone dispatcher sends no context: Nameko's handler starts a call id stack of its own.
    expect(pySeen[0]).toMatchObject({ data: {}, call_id_stack: [expect.stringMatching(callIdOf('pylistener.on_shared'))] });
  }, 60_000);
});
