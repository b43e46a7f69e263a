// My payment methods, and paying an order of my project.
import { type Facade, httpErrors } from '@platform/http';
import { z } from 'zod';
import * as schemas from '../schemas';
import { services } from '../schemas';
import { CUSTOMERS } from './access';

const security = [{ bearer: [] }];

export function paymentRoutes(app: Facade): void {
  app.get(
    '/payment-methods',
    { config: { access: CUSTOMERS }, schema: { tags: ['payments'], security, response: { 200: z.array(schemas.PaymentMethod) } } },
    async (request) =>
      services(request.rpc).payment.listPaymentMethods(request.user.id),
  );

  app.post(
    '/payment-methods',
    {
      config: { access: CUSTOMERS, limit: 'payment' },
      schema: { tags: ['payments'], security, body: schemas.NewPaymentMethod, response: { 201: schemas.PaymentMethod } },
    },
    async (request, reply) => {
      const method = await services(request.rpc).payment.addPaymentMethod(request.user.id, request.body.token);
      return reply.code(201).send(method);
    },
  );

  app.post(
    '/projects/:projectId/orders/:orderId/payment',
    {
      config: { access: CUSTOMERS, limit: 'payment' },
      schema: { tags: ['payments'], security, params: schemas.OrderParams, body: schemas.Payment, response: { 200: schemas.Transaction } },
    },
    async (request) => {
      const rpc = services(request.rpc);
      const { projectId, orderId } = request.params;
      // The payer must be a member of the order's project: the project service says so.
      const order = await rpc.project.getOrder(orderId, request.user.id);
      if (order.project_id !== projectId) throw new httpErrors.NotFound(`order ${orderId} not found`);
      const transaction = await rpc.payment.payOrder(orderId, request.body.payment_method_id, request.user.id);
      return transaction;
    },
  );
}
