// Register (logging in and who am I come with every facade, from libs/http).
import type { Facade } from '@platform/http';
import * as schemas from '../schemas';
import { services } from '../schemas';

export function accountRoutes(app: Facade): void {
  app.post(
    '/register',
    {
      config: { access: 'public', limit: 'login' },
      schema: {
        tags: ['accounts'],
        summary: 'Register a customer account',
        description:
          'Anyone may register, under the login rate limit. The account is a customer’s, active at once; an email already ' +
          'registered is 409. The answer carries no token: the client logs in with POST /login next.',
        body: schemas.Register,
        response: { 201: schemas.User.describe('The new customer account') },
      },
    },
    async (request, reply) => {
      const { email, name, password } = request.body;
      const user = await services(request.rpc).user.registerUser(email, name, password);
      return reply.code(201).send(user);
    },
  );
}
