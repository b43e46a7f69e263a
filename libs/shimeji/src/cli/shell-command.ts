// `shimeji shell`: a REPL on a running cluster, like `nameko shell`:
//   await n.rpc.payment.healthcheck()
//   await n.dispatchEvent('payment', 'payment_taken', { order: { id: 1 } })
import readline from 'node:readline';
import repl from 'node:repl';
import { PassThrough } from 'node:stream';
import { AUTH_TOKEN_KEY } from '../access-tokens';
import { readConfig, type ServiceConfig } from '../config';
import { createLogger } from '../logger';
import type { ServiceProxy } from '../service-proxy';
import { ClusterEventDispatcher } from '../standalone/cluster-event-dispatcher';
import { ClusterRpcClient } from '../standalone/cluster-rpc-client';
import { redactUri } from '../transport/amqp-transport';

export interface ShellOptions {
  /** An access token (`shimeji token …`) sent with every call; services refuse calls without one. */
  token?: string;
}

export async function shellCommand(config: ServiceConfig, options: ShellOptions = {}): Promise<number> {
  const uri = readConfig.amqpUri(config);
  const logger = createLogger(readConfig.logLevel({ logLevel: 'warn', ...config }), 'shell');
  const contextData = options.token ? { [AUTH_TOKEN_KEY]: options.token } : undefined;
  const client = await ClusterRpcClient.connect({ uri, timeoutMs: readConfig.rpcTimeoutMs(config), logger, contextData });
  const dispatcher = await ClusterEventDispatcher.connect({ uri });
  const n = {
    rpc: new Proxy({} as Record<string, ServiceProxy>, {
      get: (_target, name) => (typeof name === 'string' && name !== 'then' ? client.service(name) : undefined),
    }),
    dispatchEvent: (service: string, eventType: string, payload: unknown) => dispatcher.dispatch(service, eventType, payload),
    config,
  };
  const output = process.stdout;
  if (!options.token) output.write('no --token: services that check access tokens will refuse your calls (see shimeji token)\n');
  output.write(`shimeji shell on ${redactUri(uri)}\n  await n.rpc.<service>.<method>(...args)\n  await n.dispatchEvent(service, eventType, payload)\n`);
  const interactive = Boolean(process.stdin.isTTY);
  const input = interactive ? process.stdin : new PassThrough();
  const server = repl.start({ prompt: 'shimeji> ', input, output, terminal: interactive, useGlobal: false });
  server.context.n = n;
  if (!interactive) feedLineByLine(server, input as PassThrough);
  return new Promise((resolve) => {
    server.on('exit', () => {
      void Promise.allSettled([client.close(), dispatcher.close()]).then(() => resolve(0));
    });
  });
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
