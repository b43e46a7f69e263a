import { type OpenApiDocument, servedDocument, undocumentedParts } from '@platform/http/testing';
import { ORDER_STATUSES, TRANSACTION_STATES, USER_ROLES, USER_STATUSES } from '@platform/schemas';
import { anOrder, aProject, aTransaction, aUser, FakeRpc, O1, P1, U1 } from './fake-rpc';
import { bearer, supportApp } from './helpers';

const json = 'application/json';
const OVERVIEW = '/customers/{userId}/overview';

async function document(): Promise<OpenApiDocument> {
  const { app } = await supportApp();
  return servedDocument(app);
}

const responseOf = (doc: OpenApiDocument, method: string, path: string, status: string) => doc.paths![path]![method].responses[status].content[json].schema;

describe('the support staff’s OpenAPI document', () => {
  it('documents every operation, and every field and parameter of every route', async () => {
    expect(undocumentedParts(await document())).toEqual([]);
  });

  it('gives an example email to find a customer by', async () => {
    const [email] = (await document()).paths!['/customers']!.get.parameters;
    expect(email).toMatchObject({ in: 'query', name: 'email', example: 'ann@example.com' });
  });

  it('names every status of an order, every state of its payment, and every role and status of a customer', async () => {
    const overview = responseOf(await document(), 'get', OVERVIEW, '200').properties;
    const order = overview.projects.items.properties.orders.items.properties;
    expect(order.status.enum).toEqual(ORDER_STATUSES);
    expect(order.payment.properties.state.enum).toEqual(TRANSACTION_STATES);
    expect(overview.customer.properties.role.enum).toEqual(USER_ROLES);
    expect(overview.customer.properties.status.enum).toEqual(USER_STATUSES);
  });

  it('takes its response enums from the services’ own lists: an order in any status, a payment in any state is answered', async () => {
    for (const [status, state] of ORDER_STATUSES.flatMap((s) => TRANSACTION_STATES.map((t) => [s, t] as const))) {
      const rpc = new FakeRpc()
        .answer('user.getUser', () => aUser())
        .answer('project.listProjectsForUser', () => [aProject({ id: P1 })])
        .answer('project.getOrdersByProjectId', () => [anOrder({ id: O1, project_id: P1, status })])
        .answer('payment.getTransactionsByOrderId', () => [aTransaction({ order_id: O1, state })]);
      const { app } = await supportApp(rpc);
      expect((await app.inject({ url: `/customers/${U1}/overview`, headers: bearer() })).statusCode).toBe(200);
    }
  });
});
