// Register, log in, who am I.
import { type Facade, sessionFor } from '@platform/http';
import * as schemas from '../schemas';
import { services } from '../services';
import { CUSTOMERS } from './access';

export function accountRoutes(app: Facade): void {
  app.post(
    '/register',
    {
      config: { access: 'public', limit: 'login' },
      schema: { tags: ['accounts'], body: schemas.Register, response: { 201: schemas.User } },
    },
    async (request, reply) => {
      const { email, name, password } = request.body;
      const user = await services(request.rpc).user.registerUser(email, name, password);
      return reply.code(201).send(user);
    },
  );

  app.post(
    '/login',
    {
      config: { access: 'public', limit: 'login' },
      schema: { tags: ['accounts'], body: schemas.Login, response: { 200: schemas.Session } },
    },
    async (request) =>
      sessionFor(app, await services(request.rpc).user.authenticate(request.body.email, request.body.password), CUSTOMERS, 'customers'),
  );

  app.get(
    '/me',
    {
      config: { access: CUSTOMERS },
      schema: { tags: ['accounts'], security: [{ bearer: [] }], response: { 200: schemas.User } },
    },
    async (request) => services(request.rpc).user.getUser(request.user.id),
  );
}

