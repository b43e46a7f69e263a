// The messaging service on the run's PostgreSQL and RabbitMQ, seen as the platform sees it: its
// errors as classes of our own (as a facade declares them), events sent as their services send
// them, a directory of users standing in for the user service, and the rows it wrote.
import { Database } from '@platform/db';
import {
  ClusterEventDispatcher,
  type ContainerOptions,
  ErrorRegistry,
  type ServiceConfig,
  ServiceContainer,
} from '@platform/shimeji';
import * as userErrors from '../../src/remote-errors';
import { MessagingService } from '../../src/service';
import type { User } from '../support/users';
import { replaceDependencies, testBrokerUri, eventually as waitFor, workersFinished as workersDone, deadLetterReason } from '@platform/shimeji/testing';

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
export class DeliveryFailed extends Error {}

export const errors = new ErrorRegistry()
  .register('messaging.exceptions.BadRequest', BadRequest)
  .register('messaging.exceptions.NotFound', NotFound)
  .register('messaging.exceptions.DeliveryFailed', DeliveryFailed);

/** The users the stand-in user service knows, by id. */
export const directory = new Map<string, User>();

/** The user service's getUser, over the directory, raising its NotFound as the RpcProxy would hand it back. */
export const standInUsers = {
  async getUser(userId: string): Promise<User> {
    const found = directory.get(userId);
    if (!found) throw new userErrors.NotFound(`no user ${userId}`);
    return found;
  },
};

export interface Running {
  uri: string;
  container: ServiceContainer;
  /** Dispatches as the user, project and payment services would: every event with a message id of its own. */
  events: ClusterEventDispatcher;
  knex: Knex;
  stop(): Promise<void>;
}

/** The service, its users looked up in the directory (or, with `users` undefined, over RPC); `config` adds to the defaults. */
export async function startMessagingService(
  config: ServiceConfig,
  users: object | undefined = standInUsers,
  options: ContainerOptions = {},
): Promise<Running> {
  const uri = testBrokerUri();
  const container = new ServiceContainer(MessagingService, { AMQP_URI: uri, logLevel: 'silent', ...config }, options);
  if (users) replaceDependencies(container, { users });
  await container.start();
  const events = await ClusterEventDispatcher.connect({ uri });
  const database = [...container.dependencies.values()].find((d): d is Database<any> => d instanceof Database)!;
  const stop = async () => {
    await events.close();
    await container.stop();
  };
  return { uri, container, events, knex: database.knex, stop };
}

/** The log's rows about an order (or anything else in `where`), oldest first. */
export async function messageRows(knex: Knex, where: Record<string, unknown>): Promise<Record<string, any>[]> {
  return knex('messages').where(where).orderBy('created_at');
}

export { waitFor, workersDone, deadLetterReason };
