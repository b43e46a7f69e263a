// The payment service on the run's PostgreSQL and RabbitMQ with the Stripe emulator, seen as its
// callers see it: its errors as classes of our own (as a facade declares them), order_placed sent
// as the project service sends it, a listener for the events it dispatches, and the rows it wrote.
// The service reaches the emulator through a TCP relay a test can take down, as a network would go.
import { createServer, type Server, type Socket, connect } from 'node:net';
import { type Database, OUTBOX_TABLE } from '@platform/db';
import { startStripeEmulator, type StripeEmulator } from '@platform/stripe-emulator';
import { type ClusterEventDispatcher, ErrorRegistry, InvalidArguments, type ServiceContainer } from '@platform/shimeji';
import { PaymentService } from '../../src/service';
import { eventRecorder, startServiceUnderTest, eventually as waitFor, workersFinished as workersDone } from '@platform/shimeji/testing';
import { databaseOf, testDatabaseUrl, rowCounts as countRows, outboxEvents } from '@platform/db/testing';

type Knex = Database<any>['knex'];

export class BadRequest extends InvalidArguments {}
export class NotFound extends Error {}
export class TransactionNotFound extends Error {}
export class PaymentDeclined extends Error {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}
export class ConcurrentChange extends Error {}
export class OrderCancelled extends Error {}
export class PaymentProviderUnavailable extends Error {}
export class PaymentProviderError extends Error {}
export class NotAwaitingAuthentication extends Error {}

export const errors = new ErrorRegistry().registerService('payment', { BadRequest, NotFound, TransactionNotFound, PaymentDeclined, ConcurrentChange, OrderCancelled, PaymentProviderUnavailable, PaymentProviderError, NotAwaitingAuthentication });

/** Hears the payment service's events as its consumers would. */
export const recorder = eventRecorder('payment', ['payment_taken', 'payment_failed', 'payment_refunded']);

export interface Running {
  uri: string;
  container: ServiceContainer;
  emulator: StripeEmulator;
  /** The way from the service to the emulator: `down()` refuses new connections and cuts open ones, `up()` opens it again. */
  stripeLink: StripeLink;
  /** Dispatches as the project service would: every event with a message id of its own. */
  project: ClusterEventDispatcher;
  knex: Knex;
  stop(): Promise<void>;
}

export const STRIPE_API_KEY = 'sk_test_integration';
export const AUTHENTICATION_TIMEOUT = '10m';

export async function startPaymentService(): Promise<Running> {
  // A little latency at "Stripe", as over a network: it widens the races the tests provoke.
  const emulator = await startStripeEmulator({ latencyMs: 20 });
  const stripeLink = await relayTo(new URL(emulator.url));
  // A second for each request to Stripe: the tests of a silent or slow Stripe need not wait four.
  // Ten minutes to authenticate: a test makes an authentication older than that by its row.
  const config = {
    PAYMENT_DATABASE_URL: testDatabaseUrl('payment'),
    STRIPE_API_KEY,
    STRIPE_API_BASE: stripeLink.url,
    STRIPE_TIMEOUT_MS: 1_000,
    PAYMENT_AUTHENTICATION_TIMEOUT: AUTHENTICATION_TIMEOUT,
  };
  const running = await startServiceUnderTest(PaymentService, config, { recorder });
  const stop = async () => {
    await running.stop();
    await stripeLink.down();
    await emulator.close();
  };
  return { ...running, emulator, stripeLink, project: running.dispatcher, knex: databaseOf(running.container).knex, stop };
}

export interface StripeLink {
  url: string;
  down(): Promise<void>;
  up(): Promise<void>;
  /** Connections are taken and nothing comes back, as from a host that drops every packet. */
  silent(): Promise<void>;
  /** Every chunk reaches Stripe `delayMs` late, and its answer as late. */
  slow(delayMs: number): Promise<void>;
}

/**
 * A TCP relay to `target` on a port of its own. Down, the port refuses connections (as a host
 * with nothing listening does) and the connections open are cut, since the SDK keeps them alive
 * between requests; up, it listens on the same port again, so the service's config stays true.
 */
async function relayTo(target: URL): Promise<StripeLink> {
  const open = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  let mode: { kind: 'through' } | { kind: 'silent' } | { kind: 'slow'; delayMs: number } = { kind: 'through' };
  const later = (from: Socket, to: Socket, delayMs: number) => from.on('data', (chunk: Buffer) => setTimeout(() => to.destroyed || to.write(chunk), delayMs));
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const relay = createServer((client) => {
        open.add(client);
        client.on('close', () => open.delete(client));
        client.on('error', () => undefined);
        if (mode.kind === 'silent') return; // held open, never answered
        const upstream = connect(Number(target.port), target.hostname);
        open.add(upstream);
        upstream.on('close', () => open.delete(upstream));
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
        if (mode.kind === 'slow') {
          later(client, upstream, mode.delayMs);
          later(upstream, client, mode.delayMs);
        } else {
          client.pipe(upstream).pipe(client);
        }
      });
      relay.once('error', reject);
      relay.listen(port, '127.0.0.1', () => {
        port = (relay.address() as { port: number }).port;
        server = relay;
        resolve();
      });
    });
  await listen();
  /** Cuts the connections open, which the SDK keeps alive between requests, so the next request meets the new mode. */
  const cut = () => {
    for (const socket of open) socket.destroy();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    up: async () => {
      mode = { kind: 'through' };
      cut();
      if (!server) await listen();
    },
    silent: async () => {
      mode = { kind: 'silent' };
      cut();
    },
    slow: async (delayMs) => {
      mode = { kind: 'slow', delayMs };
      cut();
    },
    down: async () => {
      const closing = server;
      server = undefined;
      for (const socket of open) socket.destroy();
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
  };
}

const TABLES = ['customers', 'transactions', 'refunds', OUTBOX_TABLE];

/** The events of one type the recorder heard that mention `id`, once settled for a moment. */
export const announcedAbout = (type: string, id: string, settleMs?: number): Promise<any[]> => recorder.about(type, id, settleMs);

/** How many rows each table holds, events waiting in the outbox included. */
export const rowCounts = (knex: Knex): Promise<Record<string, number>> => countRows(knex, TABLES);

export { waitFor, workersDone, outboxEvents };
