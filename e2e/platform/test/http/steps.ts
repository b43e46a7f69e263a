// A customer's usual steps through the web facade, for tests about what comes after them; each
// fails loudly with the reply when the facade does not answer as it should.
import type { Reply } from './client';
import { type Customer, eventually, type Platform } from './harness';

export interface Project {
  id: string;
  name: string;
}

export interface Order {
  id: string;
  project_id: string;
  description: string;
  amount: number;
  status: string;
}

function expectStatus(what: string, reply: Reply, status: number): any {
  if (reply.status !== status) throw new Error(`${what}: expected ${status}, got ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

export async function createProject(platform: Platform, owner: Customer, name: string): Promise<Project> {
  return expectStatus(`creating project ${name}`, await platform.web.post('/projects', { name }, owner.token), 201);
}

/** Places an order and waits until payment opened its transaction (it can be paid from then on). */
export async function placeOrder(platform: Platform, customer: Customer, project: Project, description: string, amount = 1500): Promise<Order> {
  const reply = await platform.web.post(`/projects/${project.id}/orders`, { description, amount, currency: 'EUR' }, customer.token);
  const order: Order = expectStatus(`placing order ${description}`, reply, 201);
  await eventually(`the transaction of order ${description} to open`, async () => (await platform.db('payment')('transactions').where({ order_id: order.id }))[0]);
  return order;
}

export async function addCard(platform: Platform, customer: Customer, token = 'pm_card_visa'): Promise<{ id: string }> {
  return expectStatus(`adding card ${token}`, await platform.web.post('/payment-methods', { token }, customer.token), 201);
}

/** Pays through the web facade and waits until project marked the order paid. */
export async function payOrder(platform: Platform, customer: Customer, order: Order, card: { id: string }): Promise<{ state: string }> {
  const path = `/projects/${order.project_id}/orders/${order.id}/payment`;
  const paid = expectStatus('paying', await platform.web.post(path, { payment_method_id: card.id }, customer.token), 200);
  await eventually('the order to be marked paid', async () => {
    const [row] = await platform.db('project')('orders').where({ id: order.id, status: 'paid' });
    return row;
  });
  return paid;
}
