// Register (logging in and who am I come with every facade, from libs/http).
import type { Facade } from '@platform/http';
import * as schemas from '../schemas';
import { services } from '../schemas';

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
}
