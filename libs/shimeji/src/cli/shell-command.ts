// `shimeji shell`: a REPL on a running cluster, like `nameko shell`, with what Moleculer's REPL
// adds: the services on the broker listed and completed from discovery, `.call`, `.emit` and
// `.bench`, history kept across sessions, and remote errors as one line.
//   await n.rpc.payment.healthcheck()
//   await n.dispatchEvent('payment', 'payment_taken', { order: { id: 1 } })
//   .call payment.payOrder {orderId: 1, cardId: 'pm_card_visa'}
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import repl from 'node:repl';
import { PassThrough } from 'node:stream';
import { AUTH_TOKEN_KEY } from '../access-tokens';
import { readConfig, type ServiceConfig } from '../config';
import { discoverServices, type ServiceListing } from '../discovery';
import { createLogger } from '../logger';
import type { ServiceProxy } from '../service-proxy';
import { ClusterEventDispatcher } from '../standalone/cluster-event-dispatcher';
import { ClusterRpcClient } from '../standalone/cluster-rpc-client';
import { redactUri } from '../transport/amqp-transport';
import { oneLineError } from './one-line-error';
import { rpcMethods } from './services-listing';
import { defineShellCommands, type ShellSession } from './shell-commands';
import { shellCompleter } from './shell-completion';

export interface ShellOptions {
  /** An access token (`shimeji token …`) sent with every call; services refuse calls without one. */
  token?: string;
  /** Where history is kept across sessions (default SHIMEJI_SHELL_HISTORY, else ~/.shimeji_shell_history; '' for none). */
  historyFile?: string;
}

const DISCOVERY_WINDOW_MS = 500;

export function defaultHistoryFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHIMEJI_SHELL_HISTORY ?? path.join(os.homedir(), '.shimeji_shell_history');
}

export async function shellCommand(config: ServiceConfig, options: ShellOptions = {}): Promise<number> {
  const uri = readConfig.amqpUri(config);
  const logger = createLogger(readConfig.logLevel({ logLevel: 'warn', ...config }), 'shell');
  const contextData = options.token ? { [AUTH_TOKEN_KEY]: options.token } : undefined;
  const client = await ClusterRpcClient.connect({ uri, timeoutMs: readConfig.rpcTimeoutMs(config), logger, contextData, connectionName: 'shimeji shell' });
  const dispatcher = await ClusterEventDispatcher.connect({ uri });
  const output = process.stdout;

  // n.rpc.<service> has the methods discovery found as its own properties (what completion
  // lists); any other name still makes a call, so a service that did not answer can be called.
  const known: Record<string, ServiceProxy> = {};
  const rpc = new Proxy(known, {
    get: (target, name) => (typeof name !== 'string' || name === 'then' ? undefined : (target[name] ?? client.service(name))),
  });
  const session: ShellSession = {
    client,
    dispatcher,
    output,
    listing: [],
    async discover(): Promise<ServiceListing[]> {
      this.listing = await discoverServices(client.transport, { windowMs: DISCOVERY_WINDOW_MS, ...(contextData ? { contextData } : {}) });
      for (const [service, methods] of rpcMethods(this.listing)) {
        const proxy = client.service(service);
        const listed = Object.fromEntries(methods.map((method) => [method, proxy[method]]));
        // A method not listed (the service refused to describe itself to us) is still called.
        known[service] = new Proxy(listed, { get: (target, name) => (typeof name === 'string' ? (target[name] ?? proxy[name]) : undefined) }) as ServiceProxy;
      }
      return this.listing;
    },
  };
  const n = {
    rpc,
    dispatchEvent: (service: string, eventType: string, payload: unknown) => dispatcher.dispatch(service, eventType, payload),
    config,
  };

  if (!options.token) output.write('no --token: services that check access tokens will refuse your calls (see shimeji token)\n');
  output.write(`shimeji shell on ${redactUri(uri)}\n`);
  await session.discover();
  output.write(`services: ${session.listing.map((s) => `${s.service} (${s.instances.length})`).join(', ') || 'none answered'}\n`);
  output.write(
    [
      '  await n.rpc.<service>.<method>(...args)       Tab completes services and methods',
      '  await n.dispatchEvent(service, eventType, payload)',
      '  .services   .call service.method {kwargs}|[args]   .emit service.event_type {payload}',
      '  .bench service.method {kwargs} --n 1000 --concurrency 10   .help for all',
      '',
    ].join('\n'),
  );

  const interactive = Boolean(process.stdin.isTTY);
  const input = interactive ? process.stdin : new PassThrough();
  // Undefined results are not printed: a command or a failed call has said what it had to.
  const server = repl.start({ prompt: 'shimeji> ', input, output, terminal: interactive, useGlobal: false, ignoreUndefined: true });
  server.context.n = n;
  printErrorsOnOneLine(server);
  // readline reads `completer` at every Tab: ours first, the REPL's own for everything else.
  const own = server.completer as (line: string, callback: (error?: Error | null, result?: readline.CompleterResult) => void) => void;
  (server as { completer: unknown }).completer = shellCompleter(own.bind(server), session);
  defineShellCommands(server, session);
  const historyFile = options.historyFile ?? defaultHistoryFile();
  if (interactive && historyFile) {
    server.setupHistory(historyFile, (error) => {
      if (error) output.write(`history not kept: ${error.message}\n`);
    });
  }
  if (!interactive) feedLineByLine(server, input as PassThrough);
  return new Promise((resolve) => {
    server.on('exit', () => {
      void Promise.allSettled([client.close(), dispatcher.close()]).then(() => resolve(0));
    });
  });
}

/**
 * An error from what was typed is printed as one line (`Uncaught PaymentDeclined:
 * insufficient_funds`), never the framework's stack frames: the REPL formats errors with its
 * writer too.
 */
function printErrorsOnOneLine(server: repl.REPLServer): void {
  const write = server.writer;
  const oneLine = function (this: repl.REPLServer, value: unknown): string {
    return value instanceof Error ? oneLineError(value) : write.call(this, value);
  };
  // The REPL reads the writer's inspect options (breakLength) when it prints an error.
  const { options } = write as unknown as { options: unknown };
  (server as { writer: repl.REPLWriter }).writer = Object.assign(oneLine, { options });
}

/**
 * Piped input (a script, a test) is given to the REPL one line at a time, each once the REPL
 * shows its prompt again: Node's REPL reads ahead, and a later line (`.exit`) would otherwise
 * run before an earlier `await` has finished.
 */
function feedLineByLine(server: repl.REPLServer, input: PassThrough): void {
  const waiting: string[] = [];
  let ready = false;
  let ended = false;
  const pump = (): void => {
    if (!ready) return;
    const line = waiting.shift();
    if (line !== undefined) {
      ready = false;
      input.write(`${line}\n`);
    } else if (ended) {
      input.end();
    }
  };
  const displayPrompt = server.displayPrompt.bind(server);
  server.displayPrompt = (preserveCursor?: boolean) => {
    displayPrompt(preserveCursor);
    ready = true;
    setImmediate(pump);
  };
  const lines = readline.createInterface({ input: process.stdin, terminal: false });
  lines.on('line', (line) => {
    waiting.push(line);
    pump();
  });
  lines.on('close', () => {
    ended = true;
    pump();
  });
  ready = true;
}
