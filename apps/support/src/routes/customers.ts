// A customer as support sees them: found by email, their projects with orders and payment states
// in one response, the emails sent to them, and resending an order's receipt.
import { type Facade, httpErrors } from '@platform/http';
import { z } from 'zod';
import { readInBatches } from '../batches';
import * as schemas from '../schemas';
import { services } from '../schemas';
import { STAFF } from './access';

const secured = { config: { access: STAFF } } as const;
const security = [{ bearer: [] }];

export function customerRoutes(app: Facade): void {
  app.get(
    '/customers',
    {
      ...secured,
      schema: {
        tags: ['customers'],
        summary: 'Find a customer by email',
        description:
          'Support staff (and admins) find the account a customer writes in from: the user registered with exactly that ' +
          'email, whatever its case; none is 404. Its `id` opens the customer’s overview and emails next.',
        security,
        querystring: schemas.CustomerQuery,
        response: { 200: schemas.Customer },
      },
    },
    async (request) => {
      const email = request.query.email.toLowerCase();
      const found = await services(request.rpc).user.findUsers(email, 1, 100);
      const user = found.items.find((candidate) => candidate.email.toLowerCase() === email);
      if (!user) throw new httpErrors.NotFound('no user with that email', [{ field: 'email', message: 'not registered' }]);
      return user;
    },
  );

  app.get(
    '/customers/:userId/overview',
    {
      ...secured,
      schema: {
        tags: ['customers'],
        summary: 'Show a customer’s projects, orders and payments',
        description:
          'Everything support needs to answer a customer in one response: their account, every project they are a member ' +
          'of, each with its orders, newest first, and each order’s payment state (null before anyone tried to pay it). ' +
          'Read only; an unknown user is 404.',
        security,
        params: schemas.CustomerParams,
        response: { 200: schemas.Overview },
      },
    },
    async (request) => {
      const rpc = services(request.rpc);
      const { userId } = request.params;
      // Three round trips however much the customer has: one call per batch read, none for nothing to ask.
      const [customer, projects] = await Promise.all([rpc.user.getUser(userId), rpc.project.listProjectsForUser(userId)]);
      const orders = await readInBatches(
        projects.map((project) => project.id),
        (projectIds) => rpc.project.getOrdersByProjectId(projectIds),
      );
      const transactions = await readInBatches(
        orders.map((order) => order.id),
        (orderIds) => rpc.payment.getTransactionsByOrderId(orderIds),
      );
      // Payment leaves out the orders it has not heard of: no payment yet.
      const payments = new Map(transactions.map((transaction) => [transaction.order_id, transaction]));
      const ordersOf = new Map<string, typeof orders>(projects.map((project) => [project.id, []]));
      for (const order of orders) ordersOf.get(order.project_id)?.push(order); // newest first, as they came
      return {
        customer,
        projects: projects.map((project) => ({
          ...project,
          orders: (ordersOf.get(project.id) ?? []).map((order) => ({ ...order, payment: payments.get(order.id) ?? null })),
        })),
      };
    },
  );

  app.get(
    '/customers/:userId/messages',
    {
      ...secured,
      schema: {
        tags: ['emails'],
        summary: 'List the emails sent to a customer',
        description:
          'Every email the platform sent or tried to send the customer, with whether the mail server took it: to tell a ' +
          'customer who says a receipt never arrived whether it left, and to resend it with POST /orders/{orderId}/receipt.',
        security,
        params: schemas.CustomerParams,
        response: { 200: z.array(schemas.Message).describe('The customer’s emails') },
      },
    },
    async (request) =>
      services(request.rpc).messaging.listMessagesForUser(request.params.userId),
  );

  app.post(
    '/orders/:orderId/receipt',
    {
      ...secured,
      schema: {
        tags: ['emails'],
        summary: 'Resend an order’s receipt',
        description:
          'Sends the order’s payment confirmation again, as first sent, to the address it first went to, recording who ' +
          'asked; for a customer who says it never arrived. Takes no body (or `{}`). An order whose receipt was never ' +
          'sent (not paid yet) is 404.',
        security,
        params: schemas.OrderParams,
        body: schemas.Resend,
        response: { 201: schemas.Message.describe('The new email, the receipt sent again') },
      },
    },
    async (request, reply) => {
      // Who asked is the token's user, never a field of a body.
      const message = await services(request.rpc).messaging.resendOrderReceipt(request.params.orderId, request.user.id);
      return reply.code(201).send(message);
    },
  );
}
