// The project service on the run's PostgreSQL and RabbitMQ, seen as its callers see it: its
// errors as classes of our own (as a facade declares them), payment's events sent as payment
// sends them, a listener for the events it dispatches, and the rows it wrote.
import { Database, OUTBOX_TABLE } from '@platform/db';
import {
  ClusterEventDispatcher,
  ErrorRegistry,
  eventHandler,
  service,
  ServiceContainer,
} from '@platform/shimeji';
import { ProjectService } from '../../src/service';
import { testBrokerUri, eventually as waitFor, workersFinished as workersDone, deadLetterReason } from '@platform/shimeji/testing';
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
export class InvalidOrderState extends Error {}
export class ConcurrentChange extends Error {}

export const errors = new ErrorRegistry()
  .register('project.exceptions.BadRequest', BadRequest)
  .register('project.exceptions.NotFound', NotFound)
  .register('project.exceptions.InvalidOrderState', InvalidOrderState)
  .register('project.exceptions.ConcurrentChange', ConcurrentChange);

export const announced: { type: string; payload: any }[] = [];

@service('project_listener')
class ProjectListener {
  @eventHandler('project', 'project_created')
  async projectCreated(payload: unknown) {
    announced.push({ type: 'project_created', payload });
  }

  @eventHandler('project', 'member_added')
  async memberAdded(payload: unknown) {
    announced.push({ type: 'member_added', payload });
  }

  @eventHandler('project', 'order_placed')
  async orderPlaced(payload: unknown) {
    announced.push({ type: 'order_placed', payload });
  }

  @eventHandler('project', 'order_cancelled')
  async orderCancelled(payload: unknown) {
    announced.push({ type: 'order_cancelled', payload });
  }

  @eventHandler('project', 'order_paid')
  async orderPaid(payload: unknown) {
    announced.push({ type: 'order_paid', payload });
  }
}

export interface Running {
  uri: string;
  container: ServiceContainer;
  /** Dispatches as payment would: every event with a message id of its own. */
  payment: ClusterEventDispatcher;
  knex: Knex;
  stop(): Promise<void>;
}

export async function startProjectService(): Promise<Running> {
  const uri = testBrokerUri();
  const container = new ServiceContainer(ProjectService, { AMQP_URI: uri, PROJECT_DATABASE_URL: testDatabaseUrl('project'), logLevel: 'silent' });
  const listener = new ServiceContainer(ProjectListener, { AMQP_URI: uri, logLevel: 'silent' });
  await container.start();
  await listener.start();
  const payment = await ClusterEventDispatcher.connect({ uri });
  const database = [...container.dependencies.values()].find((d): d is Database<any> => d instanceof Database)!;
  const stop = async () => {
    await payment.close();
    await listener.stop();
    await container.stop();
  };
  return { uri, container, payment, knex: database.knex, stop };
}

const TABLES = ['projects', 'project_members', 'orders', 'order_status_changes', OUTBOX_TABLE];

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

export { waitFor, workersDone, deadLetterReason, outboxEvents };
