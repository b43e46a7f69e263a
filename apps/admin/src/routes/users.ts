// Find users, suspend and reactivate them, change their roles. The actor is always the token's
// admin, never a field of the body.
import type { Facade } from '@platform/http';
import * as schemas from '../schemas';
import { services } from '../schemas';
import { ADMINS } from './access';

const secured = { config: { access: ADMINS } } as const;
const security = [{ bearer: [] }];

export function userRoutes(app: Facade): void {
  app.get(
    '/users',
    {
      ...secured,
      schema: {
        tags: ['users'],
        summary: 'Find users',
        description:
          'Admins look users up by part of their email or name (or list everyone), a page at a time, customers and staff ' +
          'alike, to suspend, reactivate or change the role of one next.',
        security,
        querystring: schemas.FindUsers,
        response: { 200: schemas.UserPage },
      },
    },
    async (request) => {
      const { q, page, page_size } = request.query;
      return services(request.rpc).user.findUsers(q, page, page_size);
    },
  );

  app.post(
    '/users/:userId/suspend',
    {
      ...secured,
      schema: {
        tags: ['users'],
        summary: 'Suspend a user',
        description:
          'An admin suspends a user, saying why: from then on the user cannot log in, and the tokens they hold are refused ' +
          '(403) by every application. Suspending a suspended user changes nothing. Undone with …/reactivate.',
        security,
        params: schemas.UserParams,
        body: schemas.StatusChange,
        response: { 200: schemas.User.describe('The user, suspended') },
      },
    },
    async (request) => services(request.rpc).user.suspendUser(request.params.userId, request.body.reason, request.user.id),
  );

  app.post(
    '/users/:userId/reactivate',
    {
      ...secured,
      schema: {
        tags: ['users'],
        summary: 'Reactivate a suspended user',
        description: 'An admin lets a suspended user back in, saying why: they can log in again. Reactivating an active user changes nothing.',
        security,
        params: schemas.UserParams,
        body: schemas.StatusChange,
        response: { 200: schemas.User.describe('The user, active') },
      },
    },
    async (request) => services(request.rpc).user.reactivateUser(request.params.userId, request.body.reason, request.user.id),
  );

  app.put(
    '/users/:userId/role',
    {
      ...secured,
      schema: {
        tags: ['users'],
        summary: 'Change a user’s role',
        description:
          'An admin makes a user a customer, support staff or an admin: the role decides which application they log in to. ' +
          'Tokens given for the old role are refused from then on (403): the user logs in again.',
        security,
        params: schemas.UserParams,
        body: schemas.RoleChange,
        response: { 200: schemas.User.describe('The user, in their new role') },
      },
    },
    async (request) => services(request.rpc).user.changeRole(request.params.userId, request.body.role, request.user.id),
  );
}
