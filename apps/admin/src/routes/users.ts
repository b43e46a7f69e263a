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
    { ...secured, schema: { tags: ['users'], security, querystring: schemas.FindUsers, response: { 200: schemas.UserPage } } },
    async (request) => {
      const { q, page, page_size } = request.query;
      return services(request.rpc).user.findUsers(q, page, page_size);
    },
  );

  app.post(
    '/users/:userId/suspend',
    {
      ...secured,
      schema: { tags: ['users'], security, params: schemas.UserParams, body: schemas.StatusChange, response: { 200: schemas.User } },
    },
    async (request) => services(request.rpc).user.suspendUser(request.params.userId, request.body.reason, request.user.id),
  );

  app.post(
    '/users/:userId/reactivate',
    {
      ...secured,
      schema: { tags: ['users'], security, params: schemas.UserParams, body: schemas.StatusChange, response: { 200: schemas.User } },
    },
    async (request) => services(request.rpc).user.reactivateUser(request.params.userId, request.body.reason, request.user.id),
  );

  app.put(
    '/users/:userId/role',
    {
      ...secured,
      schema: { tags: ['users'], security, params: schemas.UserParams, body: schemas.RoleChange, response: { 200: schemas.User } },
    },
    async (request) => services(request.rpc).user.changeRole(request.params.userId, request.body.role, request.user.id),
  );
}
