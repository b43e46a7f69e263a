import { type OpenApiDocument, servedDocument, undocumentedParts } from '@platform/http/testing';
import { ORDER_STATUSES, TRANSACTION_STATES, USER_ROLES, USER_STATUSES } from '@platform/schemas';
import { anOrder, aTransaction, aUser, FakeRpc, O1, P1, U2 } from './fake-rpc';
import { adminApp, bearer } from './helpers';

const json = 'application/json';
const CONFIRM = '/projects/{projectId}/orders/{orderId}';

async function document(): Promise<OpenApiDocument> {
  const { app } = await adminApp();
  return servedDocument(app);
}

const bodyOf = (doc: OpenApiDocument, method: string, path: string) => doc.paths![path]![method].requestBody.content[json].schema;
const responseOf = (doc: OpenApiDocument, method: string, path: string, status: string) => doc.paths![path]![method].responses[status].content[json].schema;

describe('the admins’ OpenAPI document', () => {
  it('documents every operation, and every field and parameter of every route', async () => {
    expect(undocumentedParts(await document())).toEqual([]);
  });

  it('gives Stripe’s test card and a customer’s id as the example of confirming a payment', async () => {
    const confirmation = bodyOf(await document(), 'post', CONFIRM).properties;
    expect(confirmation.payment_method_id.example).toBe('pm_card_visa');
    expect(confirmation.paid_by.example).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('names every status of an order, every state of a payment, and every role and status of a user', async () => {
    const doc = await document();
    expect(responseOf(doc, 'get', '/projects/{projectId}/orders', '200').items.properties.status.enum).toEqual(ORDER_STATUSES);
    expect(responseOf(doc, 'post', CONFIRM, '200').properties.state.enum).toEqual(TRANSACTION_STATES);
    expect(bodyOf(doc, 'put', '/users/{userId}/role').properties.role.enum).toEqual(USER_ROLES);
    const user = responseOf(doc, 'get', '/users', '200').properties.items.items.properties;
    expect(user.role.enum).toEqual(USER_ROLES);
    expect(user.status.enum).toEqual(USER_STATUSES);
  });

  it('takes its response enums from the services’ own lists: an order in any status, a payment in any state is answered', async () => {
    for (const status of ORDER_STATUSES) {
      const { app } = await adminApp(new FakeRpc().answer('project.listOrdersForProject', () => [anOrder({ status })]));
      expect((await app.inject({ url: `/projects/${P1}/orders`, headers: bearer() })).statusCode).toBe(200);
    }
    for (const state of TRANSACTION_STATES) {
      const { app } = await adminApp(new FakeRpc().answer('project.getOrdersById', () => [anOrder()]).answer('payment.payOrder', () => aTransaction({ state })));
      const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}`, headers: bearer(), payload: { payment_method_id: 'pm_card_visa', paid_by: U2 } });
      expect(res.statusCode).toBe(200);
    }
    for (const role of USER_ROLES) {
      const { app } = await adminApp(new FakeRpc().answer('user.changeRole', () => aUser({ id: U2, role })));
      expect((await app.inject({ method: 'PUT', url: `/users/${U2}/role`, headers: bearer(), payload: { role } })).statusCode).toBe(200);
    }
  });
});
