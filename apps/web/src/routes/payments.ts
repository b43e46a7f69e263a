// My payment methods, and paying an order of my project: at once, or, when the card needs 3-D
// Secure, in two steps (pay answers `requires_action`; the client authenticates with Stripe.js and
// confirms), or abandoned for another card.
import { type Facade, httpErrors } from '@platform/http';
import { z } from 'zod';
import { TransactionNotFound } from '../remote-errors';
import * as schemas from '../schemas';
import { services } from '../schemas';
import { CUSTOMERS } from './access';
import { orderOfProject } from './order-of-project';

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
      await orderOfProject(rpc, projectId, orderId, request.user.id);
      const transaction = await rpc.payment.payOrder(orderId, request.body.payment_method_id, request.user.id);
      return schemas.paymentOf(transaction);
    },
  );

  app.post(
    '/projects/:projectId/orders/:orderId/payment/confirm',
    {
      config: { access: CUSTOMERS, limit: 'payment' },
      schema: { tags: ['payments'], security, params: schemas.OrderParams, body: schemas.PaymentConfirmation, response: { 200: schemas.Transaction } },
    },
    async (request) => {
      const rpc = services(request.rpc);
      const { projectId, orderId } = request.params;
      await orderOfProject(rpc, projectId, orderId, request.user.id);
      const paymentIntentId = request.body.payment_intent_id;
      const notHere = () => new httpErrors.NotFound(`order ${orderId} has no payment intent ${paymentIntentId}`);
      // Payment knows no such intent of mine (someone else's, or none): for me, this order has none.
      const transaction = await rpc.payment.confirmPaymentIntent(paymentIntentId, request.user.id).catch((error: unknown) => {
        throw error instanceof TransactionNotFound ? notHere() : error;
      });
      // A payment intent of another order of mine, sent to this order's route: not this order's.
      if (transaction.order_id !== orderId) throw notHere();
      return schemas.paymentOf(transaction);
    },
  );

  app.post(
    '/projects/:projectId/orders/:orderId/payment/abandon',
    {
      config: { access: CUSTOMERS, limit: 'payment' },
      schema: { tags: ['payments'], security, params: schemas.OrderParams, response: { 200: schemas.Transaction } },
    },
    async (request) => {
      const rpc = services(request.rpc);
      const { projectId, orderId } = request.params;
      await orderOfProject(rpc, projectId, orderId, request.user.id);
      return schemas.paymentOf(await rpc.payment.abandonPayment(orderId, request.user.id));
    },
  );
}
