// The project service on the run's PostgreSQL and RabbitMQ, seen as its callers see it: its
// errors as classes of our own (as a facade declares them), payment's events sent as payment
// sends them, a listener for the events it dispatches, and the rows it wrote.
import { type Database, OUTBOX_TABLE } from '@platform/db';
import { type ClusterEventDispatcher, ErrorRegistry, InvalidArguments, type ServiceContainer } from '@platform/shimeji';
import { ProjectService } from '../../src/service';
import { eventRecorder, startServiceUnderTest, eventually as waitFor, workersFinished as workersDone, deadLetterReason } from '@platform/shimeji/testing';
import { databaseOf, testDatabaseUrl, rowCounts as countRows, outboxEvents } from '@platform/db/testing';

type Knex = Database<any>['knex'];

export class BadRequest extends InvalidArguments {}
export class NotFound extends Error {}
export class InvalidOrderState extends Error {}
export class ConcurrentChange extends Error {}

export const errors = new ErrorRegistry().registerService('project', { BadRequest, NotFound, InvalidOrderState, ConcurrentChange });

/** Hears the project service's events as its consumers would. */
export const recorder = eventRecorder('project', ['project_created', 'member_added', 'order_placed', 'order_cancelled', 'order_paid']);

export interface Running {
  uri: string;
  container: ServiceContainer;
  /** Dispatches as payment would: every event with a message id of its own. */
  payment: ClusterEventDispatcher;
  knex: Knex;
  stop(): Promise<void>;
}

export async function startProjectService(): Promise<Running> {
  const running = await startServiceUnderTest(ProjectService, { PROJECT_DATABASE_URL: testDatabaseUrl('project') }, { recorder });
  return { ...running, payment: running.dispatcher, knex: databaseOf(running.container).knex };
}

const TABLES = ['projects', 'project_members', 'orders', 'order_status_changes', OUTBOX_TABLE];

/** The events of one type the recorder heard that mention `id`, once settled for a moment. */
export const announcedAbout = (type: string, id: string, settleMs?: number): Promise<any[]> => recorder.about(type, id, settleMs);

/** How many rows each table holds, events waiting in the outbox included. */
export const rowCounts = (knex: Knex): Promise<Record<string, number>> => countRows(knex, TABLES);

export { waitFor, workersDone, deadLetterReason, outboxEvents };
