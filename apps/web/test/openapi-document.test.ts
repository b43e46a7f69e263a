import { type OpenApiDocument, servedDocument, undocumentedParts } from '@platform/http/testing';
import { CHARGED_CURRENCIES, ORDER_STATUSES, TRANSACTION_STATES, USER_ROLES } from '@platform/schemas';
import { anOrder, FakeRpc, O1, P1 } from './fake-rpc';
import { bearer, webApp } from './helpers';

const json = 'application/json';
const PAYMENT = '/projects/{projectId}/orders/{orderId}/payment';

async function document(): Promise<OpenApiDocument> {
  const { app } = await webApp();
  return servedDocument(app);
}

const bodyOf = (doc: OpenApiDocument, method: string, path: string) => doc.paths![path]![method].requestBody.content[json].schema;
const responseOf = (doc: OpenApiDocument, method: string, path: string, status: string) => doc.paths![path]![method].responses[status].content[json].schema;

describe('the customers’ OpenAPI document', () => {
  it('documents every operation, and every field and parameter of every route', async () => {
    expect(undocumentedParts(await document())).toEqual([]);
  });

  it('lists the currencies an order may be placed in, and gives an example order', async () => {
    const order = bodyOf(await document(), 'post', '/projects/{projectId}/orders').properties;
    expect(order.currency.enum).toEqual(CHARGED_CURRENCIES);
    expect(order.currency.example).toBe('EUR');
    expect(order.amount.example).toBe(1500);
  });

  it('gives Stripe’s test card as the example payment method to pay with, and sends the client on to confirm after 3-D Secure', async () => {
    const doc = await document();
    expect(bodyOf(doc, 'post', PAYMENT).properties.payment_method_id.example).toBe('pm_card_visa');
    expect(doc.paths![PAYMENT]!.post.summary).toBe('Pay an order');
    expect(doc.paths![PAYMENT]!.post.description).toContain('…/payment/confirm');
  });

  it('names every status of an order, every state of a payment and every role of a user', async () => {
    const doc = await document();
    expect(responseOf(doc, 'get', '/projects/{projectId}/orders', '200').items.properties.status.enum).toEqual(ORDER_STATUSES);
    expect(responseOf(doc, 'post', PAYMENT, '200').properties.state.enum).toEqual([...TRANSACTION_STATES, 'requires_action']);
    expect(responseOf(doc, 'get', '/me', '200').properties.role.enum).toEqual(USER_ROLES);
  });

  it('takes its response enums from the services’ own lists: an order in any status, a payment in any state is answered', async () => {
    for (const status of ORDER_STATUSES) {
      const { app } = await webApp(new FakeRpc().answer('project.listOrders', () => [anOrder({ status })]));
      expect((await app.inject({ url: `/projects/${P1}/orders`, headers: bearer() })).statusCode).toBe(200);
    }
    for (const state of TRANSACTION_STATES) {
      const transaction = { order_id: O1, amount: 1500, currency: 'EUR', state, payment_intent_id: null, failure_reason: null };
      const { app } = await webApp(new FakeRpc().answer('project.getOrder', () => anOrder()).answer('payment.payOrder', () => transaction));
      const res = await app.inject({ method: 'POST', url: `/projects/${P1}/orders/${O1}/payment`, headers: bearer(), payload: { payment_method_id: 'pm_card_visa' } });
      expect(res.statusCode).toBe(200);
    }
  });
});
