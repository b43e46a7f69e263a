// All projects and their orders; confirming an order's payment and refunding it. The project
// service's admin endpoints have no requester checks: only admins reach these routes.
import { type Facade, httpErrors, type RequestRpc } from '@platform/http';
import { z } from 'zod';
import * as schemas from '../schemas';
import { services } from '../schemas';
import { ADMINS } from './access';

const secured = { config: { access: ADMINS } } as const;
const security = [{ bearer: [] }];

/** The order must exist and belong to the project named in the path, else 404: nothing is charged or refunded. */
async function orderOfProject(rpc: RequestRpc, projectId: string, orderId: string): Promise<void> {
  const [order] = (await services(rpc).project.getOrdersById([orderId])).filter((o) => o.id === orderId);
  if (!order || order.project_id !== projectId) throw new httpErrors.NotFound(`order ${orderId} not found in project ${projectId}`);
}

export function projectRoutes(app: Facade): void {
  app.get(
    '/projects',
    { ...secured, schema: { tags: ['projects'], security, querystring: schemas.Paging, response: { 200: schemas.ProjectPage } } },
    async (request) =>
      services(request.rpc).project.listProjects(request.query.page, request.query.page_size),
  );

  app.get(
    '/projects/:projectId/orders',
    { ...secured, schema: { tags: ['orders'], security, params: schemas.ProjectParams, response: { 200: z.array(schemas.Order) } } },
    async (request) =>
      services(request.rpc).project.listOrdersForProject(request.params.projectId),
  );

  app.post(
    '/projects/:projectId/orders/:orderId',
    {
      config: { access: ADMINS, limit: 'payment' },
      schema: {
        tags: ['payments'],
        summary: 'Confirm an order’s payment',
        security,
        params: schemas.OrderParams,
        body: schemas.PaymentConfirmation,
        response: { 200: schemas.Transaction },
      },
    },
    async (request) => {
      const { projectId, orderId } = request.params;
      await orderOfProject(request.rpc, projectId, orderId);
      const { payment_method_id: paymentMethodId, paid_by: paidBy } = request.body;
      return services(request.rpc).payment.payOrder(orderId, paymentMethodId, paidBy);
    },
  );

  app.post(
    '/projects/:projectId/orders/:orderId/cancel',
    {
      ...secured,
      schema: {
        tags: ['orders'],
        summary: 'Cancel an order, saying why',
        description:
          'An order awaiting payment is cancelled at once (200). A paid one is refunded first: the answer is 202 with the order ' +
          '`cancelling`; it becomes `cancelled` once payment has given the money back (the customer is emailed the refund), or ' +
          '`paid` again if the refund cannot be made.',
        security,
        params: schemas.OrderParams,
        body: schemas.Cancellation,
        response: { 200: schemas.Order, 202: schemas.Order },
      },
    },
    async (request, reply) => {
      const { projectId, orderId } = request.params;
      await orderOfProject(request.rpc, projectId, orderId);
      const order = await services(request.rpc).project.cancelAnyOrder(orderId, request.body.reason, request.user.id);
      return reply.code(order.status === 'cancelling' ? 202 : 200).send(order);
    },
  );

  app.post(
    '/projects/:projectId/orders/:orderId/refund',
    {
      config: { access: ADMINS, limit: 'payment' },
      schema: {
        tags: ['payments'],
        summary: 'Refund an order’s payment',
        security,
        params: schemas.OrderParams,
        body: schemas.Refund,
        response: { 200: schemas.Transaction },
      },
    },
    async (request) => {
      const { projectId, orderId } = request.params;
      await orderOfProject(request.rpc, projectId, orderId);
      return services(request.rpc).payment.refundPayment(orderId, request.body.reason, request.user.id);
    },
  );
}
