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
    { ...secured, schema: { tags: ['projects'], security, body: schemas.NewProject, response: { 201: schemas.ProjectWithMembers } } },
    async (request, reply) => {
      const { name, description } = request.body;
      const project = await services(request.rpc).project.createProject(request.user.id, name, description);
      return reply.code(201).send(project);
    },
  );

  app.get(
    '/projects',
    { ...secured, schema: { tags: ['projects'], security, response: { 200: z.array(schemas.Project) } } },
    async (request) => services(request.rpc).project.listProjectsForUser(request.user.id),
  );

  app.get(
    '/projects/:projectId',
    { ...secured, schema: { tags: ['projects'], security, params: schemas.ProjectParams, response: { 200: schemas.ProjectWithMembers } } },
    async (request) =>
      services(request.rpc).project.getProject(request.params.projectId, request.user.id),
  );

  app.post(
    '/projects/:projectId/members',
    {
      ...secured,
      schema: { tags: ['projects'], security, params: schemas.ProjectParams, body: schemas.NewMember, response: { 201: schemas.Member } },
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
      schema: { tags: ['orders'], security, params: schemas.ProjectParams, body: schemas.NewOrder, response: { 201: schemas.Order } },
    },
    async (request, reply) => {
      const { description, amount, currency } = request.body;
      const order = await services(request.rpc).project.placeOrder(request.params.projectId, request.user.id, description, amount, currency);
      return reply.code(201).send(order);
    },
  );

  app.post(
    '/projects/:projectId/orders/:orderId/cancel',
    { ...secured, schema: { tags: ['orders'], summary: 'Cancel an order that awaits payment', security, params: schemas.OrderParams, response: { 200: schemas.Order } } },
    async (request) => {
      const rpc = services(request.rpc);
      const { projectId, orderId } = request.params;
      await orderOfProject(rpc, projectId, orderId, request.user.id);
      return rpc.project.cancelOrder(orderId, request.user.id);
    },
  );

  app.get(
    '/projects/:projectId/orders',
    { ...secured, schema: { tags: ['orders'], security, params: schemas.ProjectParams, response: { 200: z.array(schemas.Order) } } },
    async (request) =>
      services(request.rpc).project.listOrders(request.params.projectId, request.user.id),
  );
}
