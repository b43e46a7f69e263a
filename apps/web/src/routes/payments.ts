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
    {
      config: { access: CUSTOMERS },
      schema: {
        tags: ['payments'],
        summary: 'List my payment methods',
        description: 'The cards the customer saved with POST /payment-methods, to pay orders with; none is an empty list.',
        security,
        response: { 200: z.array(schemas.PaymentMethod).describe('The customer’s saved cards') },
      },
    },
    async (request) =>
      services(request.rpc).payment.listPaymentMethods(request.user.id),
  );

  app.post(
    '/payment-methods',
    {
      config: { access: CUSTOMERS, limit: 'payment' },
      schema: {
        tags: ['payments'],
        summary: 'Save a payment method',
        description:
          'The customer’s client creates a payment method with Stripe.js from the card entered (the card number never reaches ' +
          'the platform) and sends its token here, under the payment rate limit. The card is then saved for the customer, ' +
          'to pay orders with.',
        security,
        body: schemas.NewPaymentMethod,
        response: { 201: schemas.PaymentMethod.describe('The card saved') },
      },
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
      schema: {
        tags: ['payments'],
        summary: 'Pay an order',
        description:
          'Any member of the project charges an order `awaiting_payment` to one of their payment methods, ' +
          'under the payment rate limit. The answer is the payment: `paid` when the card was charged at once, `failed` with ' +
          'a `failure_reason` when it was declined (pay again, perhaps with another card), or `requires_action` when the ' +
          'bank asks for 3-D Secure: the client authenticates with Stripe.js (handleNextAction with `client_secret`) and then ' +
          'sends `payment_intent_id` to …/payment/confirm, or gives up with …/payment/abandon.',
        security,
        params: schemas.OrderParams,
        body: schemas.Payment,
        response: { 200: schemas.Transaction },
      },
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
      schema: {
        tags: ['payments'],
        summary: 'Confirm a payment after 3-D Secure',
        description:
          'After pay answered `requires_action` and the customer authenticated with their bank, the client sends the payment ' +
          'intent here to complete the payment; the answer is `paid`, or `failed` with a `failure_reason`. A payment intent ' +
          'that is not this order’s is 404; a payment that awaits no authentication is 409.',
        security,
        params: schemas.OrderParams,
        body: schemas.PaymentConfirmation,
        response: { 200: schemas.Transaction.describe('The order’s payment, authenticated') },
      },
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
      schema: {
        tags: ['payments'],
        summary: 'Abandon a payment awaiting 3-D Secure',
        description:
          'When the customer cannot or will not authenticate a payment that is `requires_action`, the client abandons it: ' +
          'the payment becomes `failed` (or `paid`, had they authenticated meanwhile) and the order can be paid again, with ' +
          'another card. Takes no body.',
        security,
        params: schemas.OrderParams,
        response: { 200: schemas.Transaction.describe('The order’s payment, abandoned') },
      },
    },
    async (request) => {
      const rpc = services(request.rpc);
      const { projectId, orderId } = request.params;
      await orderOfProject(rpc, projectId, orderId, request.user.id);
      return schemas.paymentOf(await rpc.payment.abandonPayment(orderId, request.user.id));
    },
  );
}
