// Our services and a real Python Nameko 2.x service on one broker, calling each other both ways.
// Runs where Nameko is installed (see nameko-runtime.ts); elsewhere it says why it did not run.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { ErrorRegistry, IncorrectSignature, MethodNotFound, RemoteError, UnknownService } from '../../src';
import { containerFactory, rpcClientFactory, testBrokerUri } from '../../src/testing';
import { findNameko, type NamekoRuntime } from './nameko-runtime';
import { TsEchoService } from './ts-echo-service';

const runtime = findNameko();
const available = 'python' in runtime;
if (!available) console.warn(`[interop] live Nameko tests not run: ${runtime.missing}`);
const describeLive = available ? describe : describe.skip;

const here = __dirname;

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
    const client = await clients({ timeoutMs: 30_000 });
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await client.call('pyecho', 'echo', ['ready?']);
        return;
      } catch (error) {
        if (!(error instanceof UnknownService) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }, 60_000);

  afterEach(async () => {
    if (!peer) return;
    const exited = new Promise((resolve) => peer!.once('exit', resolve));
    peer.kill('SIGTERM');
    await exited;
  }, 30_000);

  it('serves a Nameko client: results, kwargs, context, errors, call_async', async () => {
    // Not spawnSync: our service runs in this very process and must keep answering.
    const run = await runToEnd(nameko, [path.join(here, 'nameko_client.py'), uri]);
    expect(run.stderr).not.toMatch(/Traceback/);
    const results = JSON.parse(run.stdout.trim().split('\n').pop()!);
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
  }, 60_000);

  it('calls a Nameko service: results, kwargs, its errors as our types, calls back into us', async () => {
    class Declined extends Error {}
    const errors = new ErrorRegistry().register('nameko_peer.Declined', Declined);
    const client = await clients({ errors });
    const pyecho = client.service<{
      echo(value: unknown, suffix?: string): unknown;
      decline(reason: string): never;
      ask_ts(value: unknown): unknown;
      ask_ts_to_refuse(): unknown;
    }>('pyecho');
    await expect(pyecho.echo('hi', '?')).resolves.toBe('hi?');
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
});
