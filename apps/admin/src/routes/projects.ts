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
    {
      ...secured,
      schema: {
        tags: ['projects'],
        summary: 'List all projects',
        description: 'Every customer’s projects, a page at a time, with how many members each has; an admin reads a project’s orders next.',
        security,
        querystring: schemas.Paging,
        response: { 200: schemas.ProjectPage },
      },
    },
    async (request) =>
      services(request.rpc).project.listProjects(request.query.page, request.query.page_size),
  );

  app.get(
    '/projects/:projectId/orders',
    {
      ...secured,
      schema: {
        tags: ['orders'],
        summary: 'List a project’s orders',
        description: 'Every order of any project, whatever its status, for an admin to confirm the payment of, cancel or refund; a project that does not exist is 404.',
        security,
        params: schemas.ProjectParams,
        response: { 200: z.array(schemas.Order).describe('The project’s orders') },
      },
    },
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
        description:
          'An admin charges an order `awaiting_payment` to a saved payment method of the customer named in `paid_by`, on ' +
          'their behalf, under the payment rate limit. The answer is the transaction: `paid`, `failed` with its ' +
          '`failure_reason`, or `processing` when the bank asks for 3-D Secure, which only the customer can give. An order ' +
          'not of that project is 404, and nothing is charged.',
        security,
        params: schemas.OrderParams,
        body: schemas.PaymentConfirmation,
        response: { 200: schemas.Transaction.describe('The order’s payment, after the attempt') },
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
        response: { 200: schemas.Order.describe('The order, cancelled'), 202: schemas.Order.describe('The order, `cancelling` while its refund is made') },
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
        description:
          'An admin gives a paid order’s money back, in full, saying why, under the payment rate limit: the transaction ' +
          'becomes `refunded`, the order `refunded`, and the customer is emailed the refund with the reason. A refunded ' +
          'order is answered as it is; one that was never paid is 400, naming `orderId`.',
        security,
        params: schemas.OrderParams,
        body: schemas.Refund,
        response: { 200: schemas.Transaction.describe('The order’s payment, refunded') },
      },
    },
    async (request) => {
      const { projectId, orderId } = request.params;
      await orderOfProject(request.rpc, projectId, orderId);
      return services(request.rpc).payment.refundPayment(orderId, request.body.reason, request.user.id);
    },
  );
}
