// The emulator's HTTP server: Stripe's API key check, form-encoded parameters, idempotency keys
// and error shapes, in front of the endpoints the resource modules define.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors, StripeApiError } from './errors';
import { fingerprint, type Params, parseForm } from './form';
import { IdempotencyKeys } from './idempotency';
import { allowOnly } from './params';
import { customerRoutes } from './resources/customers';
import { paymentIntentRoutes } from './resources/payment-intents';
import { paymentMethodRoutes } from './resources/payment-methods';
import { refundRoutes } from './resources/refunds';
import { matchRoute, type Route } from './routes';
import { type Charge, newId, type Refund, snapshot, StripeState } from './state';

const ROUTES: readonly Route[] = [...customerRoutes, ...paymentMethodRoutes, ...paymentIntentRoutes, ...refundRoutes];
const MAX_BODY_BYTES = 1 << 20;
const API_VERSION = '2026-01-28.clover';

export interface StripeEmulatorOptions {
  /** Default 0: any free port (see `url`). The command line uses 12111. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Every request takes at least this long (default 0): widens races for tests of concurrency. */
  latencyMs?: number;
}

export interface StripeEmulator {
  /** `http://127.0.0.1:<port>`: give it to the SDK as host, port and protocol 'http'. */
  readonly url: string;
  readonly port: number;
  /** The charges that succeeded, oldest first: what a test counts to prove nothing was charged twice. */
  charges(): Charge[];
  refunds(): Refund[];
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The API key of `Authorization: Bearer sk_test_…` (or Basic, as curl -u sends it). */
function apiKeyOf(header: string | undefined): string {
  if (!header) throw errors.missingApiKey();
  const [scheme = '', credentials = ''] = header.split(' ');
  const key = scheme.toLowerCase() === 'basic' ? Buffer.from(credentials, 'base64').toString('utf8').split(':')[0]! : credentials;
  if (scheme.toLowerCase() !== 'bearer' && scheme.toLowerCase() !== 'basic') throw errors.missingApiKey();
  if (!/^sk_test_\w+$/.test(key)) throw errors.invalidApiKey(key);
  return key;
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) request.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const state = new StripeState();
  const idempotency = new IdempotencyKeys();
  const latencyMs = options.latencyMs ?? 0;

  async function serve(request: http.IncomingMessage): Promise<Reply> {
    const url = new URL(request.url ?? '/', 'http://emulator');
    const method = request.method ?? 'GET';
    const body = await readBody(request);
    const apiKey = apiKeyOf(request.headers.authorization);
    const matched = matchRoute(ROUTES, method, url.pathname);
    if (!matched) throw errors.unrecognizedUrl(method, url.pathname);
    const params: Params = parseForm(method === 'POST' ? body : url.search.slice(1));
    allowOnly(params, matched.route.params);
    const execute = async () => {
      if (latencyMs > 0) await sleep(latencyMs);
      return matched.route.handle(state, { params, id: matched.id });
    };
    const key = request.headers['idempotency-key'];
    if (method !== 'POST' || typeof key !== 'string' || key === '') return { status: 200, body: await execute() };
    const outcome = await idempotency.run(apiKey, key, fingerprint([method, url.pathname, params]), execute);
    const headers: Record<string, string> = { 'Idempotency-Key': key };
    if (outcome.replayed) headers['Idempotent-Replayed'] = 'true';
    return { status: outcome.status, body: outcome.body, headers };
  }

  function fail(error: unknown): Reply {
    const known = error instanceof StripeApiError ? error : errors.internal();
    if (!(error instanceof StripeApiError)) known.body.message += ` (${error instanceof Error ? error.message : String(error)})`;
    return { status: known.status, body: { error: known.body } };
  }

  const server = http.createServer((request, response) => {
    serve(request)
      .catch(fail)
      .then((reply) => {
        const version = request.headers['stripe-version'];
        response.writeHead(reply.status, {
          'Content-Type': 'application/json',
          'Request-Id': newId('req'),
          'Stripe-Version': typeof version === 'string' ? version : API_VERSION,
          ...reply.headers,
        });
        response.end(JSON.stringify(reply.body));
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;

  return {
    url: `http://${address}:${port}`,
    port,
    charges: () => [...state.charges.values()].filter((c) => c.status === 'succeeded').map(snapshot),
    refunds: () => [...state.refunds.values()].map(snapshot),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections(); // the SDK keeps connections alive
      }),
  };
}
