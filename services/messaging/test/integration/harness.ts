// The messaging service on the run's PostgreSQL and RabbitMQ, seen as the platform sees it: its
// errors as classes of our own (as a facade declares them), events sent as their services send
// them, a directory of users standing in for the user service, and the rows it wrote.
import type { Database } from '@platform/db';
import { databaseOf } from '@platform/db/testing';
import { type ClusterEventDispatcher, type ContainerOptions, ErrorRegistry, InvalidArguments, type ServiceConfig, type ServiceContainer } from '@platform/shimeji';
import * as userErrors from '../../src/remote-errors';
import { MessagingService } from '../../src/service';
import type { User } from '../support/users';
import { replaceDependencies, startServiceUnderTest, eventually as waitFor, workersFinished as workersDone, deadLetterReason } from '@platform/shimeji/testing';

type Knex = Database<any>['knex'];

export class BadRequest extends InvalidArguments {}
export class NotFound extends Error {}
export class DeliveryFailed extends Error {}

export const errors = new ErrorRegistry().registerService('messaging', { BadRequest, NotFound, DeliveryFailed });

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
  const running = await startServiceUnderTest(MessagingService, config, {
    containerOptions: options,
    beforeStart: (container) => {
      if (users) replaceDependencies(container, { users });
    },
  });
  return { ...running, events: running.dispatcher, knex: databaseOf(running.container).knex };
}

/** The log's rows about an order (or anything else in `where`), oldest first. */
export async function messageRows(knex: Knex, where: Record<string, unknown>): Promise<Record<string, any>[]> {
  return knex('messages').where(where).orderBy('created_at');
}

export { waitFor, workersDone, deadLetterReason };
