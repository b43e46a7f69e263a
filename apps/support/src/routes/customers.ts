// A customer as support sees them: found by email, their projects with orders and payment states
// in one response, the emails sent to them, and resending an order's receipt.
import { type Facade, httpErrors } from '@platform/http';
import { z } from 'zod';
import { mapWithLimit } from '../limit';
import { TransactionNotFound } from '../remote-errors';
import * as schemas from '../schemas';
import { services, type Transaction } from '../services';
import { STAFF } from './access';

const secured = { config: { access: STAFF } } as const;
const security = [{ bearer: [] }];

/**
 * The payment service has no batch read by order id (`getMultipleTransactionsById` wants
 * transaction ids, which nothing else knows), so the overview asks `getTransactionByOrder` once
 * per order, at most this many at a time.
 */
export const PAYMENT_LOOKUPS_IN_FLIGHT = 8;

export function customerRoutes(app: Facade): void {
  app.get(
    '/customers',
    { ...secured, schema: { tags: ['customers'], security, querystring: schemas.CustomerQuery, response: { 200: schemas.Customer } } },
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
    { ...secured, schema: { tags: ['customers'], security, params: schemas.CustomerParams, response: { 200: schemas.Overview } } },
    async (request) => {
      const rpc = services(request.rpc);
      const { userId } = request.params;
      const [customer, projects] = await Promise.all([rpc.user.getUser(userId), rpc.project.listProjectsForUser(userId)]);
      // One call per project (no batch by project), all at once.
      const ordersByProject = await Promise.all(projects.map((project) => rpc.project.listOrdersForProject(project.id)));
      const orders = ordersByProject.flat();
      // One call per order, capped (see PAYMENT_LOOKUPS_IN_FLIGHT).
      const transactions = await mapWithLimit(orders, PAYMENT_LOOKUPS_IN_FLIGHT, async (order) => {
        try {
          return await rpc.payment.getTransactionByOrder(order.id);
        } catch (error) {
          if (error instanceof TransactionNotFound) return null;
          throw error;
        }
      });
      const payments = new Map<string, Transaction | null>(orders.map((order, i) => [order.id, transactions[i] ?? null]));
      return {
        customer,
        projects: projects.map((project, i) => ({
          ...project,
          orders: (ordersByProject[i] ?? []).map((order) => ({ ...order, payment: payments.get(order.id) ?? null })),
        })),
      } as z.infer<typeof schemas.Overview>;
    },
  );

  app.get(
    '/customers/:userId/messages',
    { ...secured, schema: { tags: ['emails'], security, params: schemas.CustomerParams, response: { 200: z.array(schemas.Message) } } },
    async (request) =>
      (await services(request.rpc).messaging.listMessagesForUser(request.params.userId)) as z.infer<typeof schemas.Message>[],
  );

  app.post(
    '/orders/:orderId/receipt',
    { ...secured, schema: { tags: ['emails'], security, params: schemas.OrderParams, response: { 201: schemas.Message } } },
    async (request, reply) => {
      // Who asked is the token's user, never a field of a body.
      const message = await services(request.rpc).messaging.resendOrderReceipt(request.params.orderId, request.user.id);
      return reply.code(201).send(message as z.infer<typeof schemas.Message>);
    },
  );
}
