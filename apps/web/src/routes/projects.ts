// My projects, their members and their orders. The services answer NotFound to anyone who is not
// a member; the requester is always the token's user, never a field of the body.
import { type Facade, httpErrors } from '@platform/http';
import { z } from 'zod';
import * as schemas from '../schemas';
import { services } from '../schemas';
import { CUSTOMERS } from './access';
import { orderOfProject } from './order-of-project';

const secured = { config: { access: CUSTOMERS } } as const;
const security = [{ bearer: [] }];

export function projectRoutes(app: Facade): void {
  app.post(
    '/projects',
    {
      ...secured,
      schema: {
        tags: ['projects'],
        summary: 'Create a project',
        description:
          'A customer creates a project and becomes its owner, its first member. Members bring others in with …/members ' +
          'and place orders under it with …/orders.',
        security,
        body: schemas.NewProject,
        response: { 201: schemas.ProjectWithMembers.describe('The new project, with its owner as its only member') },
      },
    },
    async (request, reply) => {
      const { name, description } = request.body;
      const project = await services(request.rpc).project.createProject(request.user.id, name, description);
      return reply.code(201).send(project);
    },
  );

  app.get(
    '/projects',
    {
      ...secured,
      schema: {
        tags: ['projects'],
        summary: 'List my projects',
        description: 'The projects the customer is a member of, owned or joined; none is an empty list.',
        security,
        response: { 200: z.array(schemas.Project).describe('The customer’s projects') },
      },
    },
    async (request) => services(request.rpc).project.listProjectsForUser(request.user.id),
  );

  app.get(
    '/projects/:projectId',
    {
      ...secured,
      schema: {
        tags: ['projects'],
        summary: 'Show a project and its members',
        description: 'Any member of the project may read it; to anyone else the project does not exist (404).',
        security,
        params: schemas.ProjectParams,
        response: { 200: schemas.ProjectWithMembers },
      },
    },
    async (request) =>
      services(request.rpc).project.getProject(request.params.projectId, request.user.id),
  );

  app.post(
    '/projects/:projectId/members',
    {
      ...secured,
      schema: {
        tags: ['projects'],
        summary: 'Add a member to a project',
        description:
          'Any member may bring in another registered customer by their email; the newcomer can then read the project, ' +
          'place orders and pay them. A project the caller is not a member of is 404, and so is an email nobody registered ' +
          '(only members learn which emails are registered).',
        security,
        params: schemas.ProjectParams,
        body: schemas.NewMember,
        response: { 201: schemas.Member.describe('The new member') },
      },
    },
    async (request, reply) => {
      const rpc = services(request.rpc);
      const { projectId } = request.params;
      // A member first: nobody else learns which emails are registered.
      await rpc.project.getProject(projectId, request.user.id);
      const email = request.body.email.toLowerCase();
      const found = await rpc.user.findUsers(email, 1, 100);
      const user = found.items.find((candidate) => candidate.email.toLowerCase() === email);
      if (!user) throw new httpErrors.NotFound('no user with that email', [{ field: 'email', message: 'not registered' }]);
      const member = await rpc.project.addMember(projectId, user.id, request.user.id);
      return reply.code(201).send(member);
    },
  );

  app.post(
    '/projects/:projectId/orders',
    {
      ...secured,
      schema: {
        tags: ['orders'],
        summary: 'Place an order',
        description:
          'Any member of the project places an order under it, for an amount Stripe can charge in one of the platform’s ' +
          'currencies. The order is `awaiting_payment`: the client pays it next with …/orders/{orderId}/payment, or cancels ' +
          'it with …/cancel.',
        security,
        params: schemas.ProjectParams,
        body: schemas.NewOrder,
        response: { 201: schemas.Order.describe('The order placed, awaiting payment') },
      },
    },
    async (request, reply) => {
      const { description, amount, currency } = request.body;
      const order = await services(request.rpc).project.placeOrder(request.params.projectId, request.user.id, description, amount, currency);
      return reply.code(201).send(order);
    },
  );

  app.post(
    '/projects/:projectId/orders/:orderId/cancel',
    {
      ...secured,
      schema: {
        tags: ['orders'],
        summary: 'Cancel an order that awaits payment',
        description:
          'Any member of the project may cancel one of its orders while it is `awaiting_payment`: the order becomes ' +
          '`cancelled` and can no longer be paid. Any other status is 409: a paid order is refunded by an admin, not here.',
        security,
        params: schemas.OrderParams,
        response: { 200: schemas.Order.describe('The order, cancelled') },
      },
    },
    async (request) => {
      const rpc = services(request.rpc);
      const { projectId, orderId } = request.params;
      await orderOfProject(rpc, projectId, orderId, request.user.id);
      return rpc.project.cancelOrder(orderId, request.user.id);
    },
  );

  app.get(
    '/projects/:projectId/orders',
    {
      ...secured,
      schema: {
        tags: ['orders'],
        summary: 'List a project’s orders',
        description: 'Every order of the project, whatever its status, for any of its members; a project the caller is not a member of is 404.',
        security,
        params: schemas.ProjectParams,
        response: { 200: z.array(schemas.Order).describe('The project’s orders') },
      },
    },
    async (request) =>
      services(request.rpc).project.listOrders(request.params.projectId, request.user.id),
  );
}
