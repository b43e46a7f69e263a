// Log in (admins only).
import { type Facade, sessionFor } from '@platform/http';
import * as schemas from '../schemas';
import { services } from '../services';
import { ADMINS } from './access';

export function accountRoutes(app: Facade): void {
  app.post(
    '/login',
    {
      config: { access: 'public', limit: 'login' },
      schema: { tags: ['accounts'], body: schemas.Login, response: { 200: schemas.Session } },
    },
    async (request) =>
      sessionFor(app, await services(request.rpc).user.authenticate(request.body.email, request.body.password), ADMINS, 'admins'),
  );
}
