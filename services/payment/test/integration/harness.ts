// The payment service on the run's PostgreSQL and RabbitMQ with the Stripe emulator, seen as its
// callers see it: its errors as classes of our own (as a facade declares them), order_placed sent
// as the project service sends it, a listener for the events it dispatches, and the rows it wrote.
import { Database, OUTBOX_TABLE } from '@platform/db';
import { startStripeEmulator, type StripeEmulator } from '@platform/stripe-emulator';
import { ClusterEventDispatcher, ErrorRegistry, eventHandler, service, ServiceContainer } from '@platform/shimeji';
import { PaymentService } from '../../src/service';
import { testBrokerUri, eventually as waitFor, workersFinished as workersDone } from '@platform/shimeji/testing';
import { testDatabaseUrl, rowCounts as countRows, outboxEvents } from '@platform/db/testing';

type Knex = Database<any>['knex'];

export class BadRequest extends Error {
  constructor(
    message: string,
    readonly details: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}
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

export const errors = new ErrorRegistry()
  .register('payment.exceptions.BadRequest', BadRequest)
  .register('payment.exceptions.NotFound', NotFound)
  .register('payment.exceptions.TransactionNotFound', TransactionNotFound)
  .register('payment.exceptions.PaymentDeclined', PaymentDeclined)
  .register('payment.exceptions.ConcurrentChange', ConcurrentChange);

export const announced: { type: string; payload: any }[] = [];

@service('payment_listener')
class PaymentListener {
  @eventHandler('payment', 'payment_taken')
  async taken(payload: unknown) {
    announced.push({ type: 'payment_taken', payload });
  }

  @eventHandler('payment', 'payment_failed')
  async failed(payload: unknown) {
    announced.push({ type: 'payment_failed', payload });
  }

  @eventHandler('payment', 'payment_refunded')
  async refunded(payload: unknown) {
    announced.push({ type: 'payment_refunded', payload });
  }
}

export interface Running {
  uri: string;
  container: ServiceContainer;
  emulator: StripeEmulator;
  /** Dispatches as the project service would: every event with a message id of its own. */
  project: ClusterEventDispatcher;
  knex: Knex;
  stop(): Promise<void>;
}

export const STRIPE_API_KEY = 'sk_test_integration';

export async function startPaymentService(): Promise<Running> {
  const uri = testBrokerUri();
  // A little latency at "Stripe", as over a network: it widens the races the tests provoke.
  const emulator = await startStripeEmulator({ latencyMs: 20 });
  const config = { AMQP_URI: uri, PAYMENT_DATABASE_URL: testDatabaseUrl('payment'), STRIPE_API_KEY, STRIPE_API_BASE: emulator.url, logLevel: 'silent' };
  const container = new ServiceContainer(PaymentService, config);
  const listener = new ServiceContainer(PaymentListener, { AMQP_URI: uri, logLevel: 'silent' });
  await container.start();
  await listener.start();
  const project = await ClusterEventDispatcher.connect({ uri });
  const database = [...container.dependencies.values()].find((d): d is Database<any> => d instanceof Database)!;
  const stop = async () => {
    await project.close();
    await listener.stop();
    await container.stop();
    await emulator.close();
  };
  return { uri, container, emulator, project, knex: database.knex, stop };
}

const TABLES = ['customers', 'transactions', 'refunds', OUTBOX_TABLE];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The events of one type the listener received that mention `id`, once settled for a moment. */
export async function announcedAbout(type: string, id: string, settleMs = 300): Promise<any[]> {
  const about = () => announced.filter((e) => e.type === type && JSON.stringify(e.payload).includes(id));
  await waitFor(`${type} about ${id}`, () => (about().length > 0 ? true : undefined));
  await sleep(settleMs);
  return about().map((e) => e.payload);
}

/** How many rows each table holds, events waiting in the outbox included. */
export const rowCounts = (knex: Knex): Promise<Record<string, number>> => countRows(knex, TABLES);

export { waitFor, workersDone, outboxEvents };
