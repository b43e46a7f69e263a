// Log in (support staff and admins only), who am I.
import { type Facade, sessionFor } from '@platform/http';
import * as schemas from '../schemas';
import { services } from '../services';
import { STAFF } from './access';

export function accountRoutes(app: Facade): void {
  app.post(
    '/login',
    {
      config: { access: 'public', limit: 'login' },
      schema: { tags: ['accounts'], body: schemas.Login, response: { 200: schemas.Session } },
    },
    async (request) =>
      sessionFor(app, await services(request.rpc).user.authenticate(request.body.email, request.body.password), STAFF, 'support staff'),
  );

  app.get(
    '/me',
    {
      config: { access: STAFF },
      schema: { tags: ['accounts'], security: [{ bearer: [] }], response: { 200: schemas.User } },
    },
    async (request) => services(request.rpc).user.getUser(request.user.id),
  );
}
