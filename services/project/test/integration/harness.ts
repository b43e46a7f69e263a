// The project service on the run's PostgreSQL and RabbitMQ, seen as its callers see it: its
// errors as classes of our own (as a facade declares them), payment's events sent as payment
// sends them, a listener for the events it dispatches, and the rows it wrote.
import { Database, OUTBOX_TABLE } from '@platform/db';
import { testDatabaseUrl } from '@platform/db/testing';
import {
  ClusterEventDispatcher,
  ErrorRegistry,
  eventHandler,
  inspectDeadLetters,
  service,
  ServiceContainer,
  type Transport,
  type WorkerOutcome,
} from '@platform/shimeji';
import { testBrokerUri } from '@platform/shimeji/testing';
import { ProjectService } from '../../src/service';

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

/** How many rows each table holds, events waiting in the outbox included. */
export async function rowCounts(knex: Knex): Promise<Record<string, number>> {
  const counts = await Promise.all(TABLES.map(async (table) => [table, Number((await knex(table).count({ n: '*' }))[0]!.n)] as const));
  return Object.fromEntries(counts);
}

/** The events of one type the service stored for publishing that mention `id`: what went out, exactly. */
export async function outboxEvents(knex: Knex, type: string, id: string): Promise<unknown[]> {
  const rows = await knex(OUTBOX_TABLE).where({ routing_key: type }).andWhereLike('body', `%${id}%`);
  return rows.map((row: { body: string }) => JSON.parse(row.body));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await sleep(50);
  }
}

/** The events of one type the listener received that mention `id`, once settled for a moment. */
export async function announcedAbout(type: string, id: string, settleMs = 300): Promise<any[]> {
  const about = () => announced.filter((e) => e.type === type && JSON.stringify(e.payload).includes(id));
  await waitFor(`${type} about ${id}`, () => (about().length > 0 ? true : undefined));
  await sleep(settleMs);
  return about().map((e) => e.payload);
}

/** Resolves once `count` workers of `method` finished whose arguments mention `id`. Start it before the trigger. */
export function workersDone(container: ServiceContainer, method: string, id: string, count = 1): Promise<WorkerOutcome[]> {
  const outcomes: WorkerOutcome[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      remove();
      reject(new Error(`${outcomes.length} of ${count} ${method} workers about ${id} finished in time`));
    }, 15_000);
    const remove = container.onWorkerFinished((outcome) => {
      if (outcome.ctx.methodName !== method || !JSON.stringify(outcome.ctx.args).includes(id)) return;
      outcomes.push(outcome);
      if (outcomes.length < count) return;
      clearTimeout(timer);
      remove();
      resolve(outcomes);
    });
  });
}

/** The reason an event mentioning `marker` was dead-lettered from `queue`, once it has been. */
export async function deadLetterReason(transport: Transport, queue: string, marker: string): Promise<string> {
  return waitFor(`a dead letter about ${marker} in ${queue}`, async () => {
    const letters = await inspectDeadLetters(transport, queue, 100).catch(() => []); // the queue appears with its first letter
    return letters.find((letter) => letter.body.includes(marker))?.reason;
  });
}
