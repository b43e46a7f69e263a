// One customer probing another's project and order through the web facade: every probe is 404,
// alike for what exists and what does not, and nothing anywhere changes (rows in every service's
// database, charges at Stripe, the owner's own view).
import { randomUUID } from 'node:crypto';
import type { Reply } from './client';
import { type Customer, usePlatform } from './harness';
import { addCard, createProject, type Order, placeOrder, type Project } from './steps';

describe('one customer probing another’s resources', () => {
  const platform = usePlatform();
  let ann: Customer;
  let bob: Customer;
  let annsProject: Project;
  let annsOrder: Order;
  let bobsProject: Project;
  let bobsCard: { id: string };

  beforeAll(async () => {
    ann = await platform.signUp('Ann');
    bob = await platform.signUp('Bob');
    annsProject = await createProject(platform, ann, 'Ann’s kitchen');
    annsOrder = await placeOrder(platform, ann, annsProject, 'Marble worktop', 90_000);
    await addCard(platform, ann);
    bobsProject = await createProject(platform, bob, 'Bob’s shed');
    bobsCard = await addCard(platform, bob);
  });

  /** What Ann sees of her project and its orders: a probe must leave it exactly as it was. */
  async function annsView() {
    const project = await platform.web.get(`/projects/${annsProject.id}`, ann.token);
    const orders = await platform.web.get(`/projects/${annsProject.id}/orders`, ann.token);
    return { project: project.body, orders: orders.body };
  }

  const probes: [string, () => Promise<Reply>][] = [
    ['opening her project', () => platform.web.get(`/projects/${annsProject.id}`, bob.token)],
    ['listing her project’s orders', () => platform.web.get(`/projects/${annsProject.id}/orders`, bob.token)],
    [
      'placing an order on her project',
      () => platform.web.post(`/projects/${annsProject.id}/orders`, { description: 'Free stuff', amount: 100, currency: 'EUR' }, bob.token),
    ],
    ['adding himself as a member of her project', () => platform.web.post(`/projects/${annsProject.id}/members`, { email: bob.email }, bob.token)],
    ['adding her as a member of her own project', () => platform.web.post(`/projects/${annsProject.id}/members`, { email: ann.email }, bob.token)],
    [
      'paying her order with his card',
      () => platform.web.post(`/projects/${annsProject.id}/orders/${annsOrder.id}/payment`, { payment_method_id: bobsCard.id }, bob.token),
    ],
    [
      'paying her order through his own project',
      () => platform.web.post(`/projects/${bobsProject.id}/orders/${annsOrder.id}/payment`, { payment_method_id: bobsCard.id }, bob.token),
    ],
  ];

  it.each(probes)('%s is 404 and changes nothing', async (_probe, probe) => {
    const rowsBefore = await platform.settledRowCounts();
    const viewBefore = await annsView();
    const charges = platform.stripe.charges().length;

    const reply = await probe();
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ error: 'NOT_FOUND', message: expect.any(String), details: [] });
    expect(JSON.stringify(reply.body)).not.toContain(ann.email);
    expect(JSON.stringify(reply.body)).not.toContain('Ann’s kitchen');

    expect(await platform.settledRowCounts()).toEqual(rowsBefore);
    expect(await annsView()).toEqual(viewBefore);
    expect(platform.stripe.charges()).toHaveLength(charges);
  });

  it('answers for her project as for one that does not exist', async () => {
    const nobodys = randomUUID();
    const hers = await platform.web.get(`/projects/${annsProject.id}`, bob.token);
    const none = await platform.web.get(`/projects/${nobodys}`, bob.token);
    expect(hers.status).toBe(none.status);
    expect(hers.body.message.replace(annsProject.id, '<id>')).toBe(none.body.message.replace(nobodys, '<id>'));
  });

  it('leaves him seeing only his own project, and her only hers, unpaid', async () => {
    expect((await platform.web.get('/projects', bob.token)).body.map((p: Project) => p.id)).toEqual([bobsProject.id]);
    expect((await platform.web.get('/projects', ann.token)).body.map((p: Project) => p.id)).toEqual([annsProject.id]);
    const { project, orders } = await annsView();
    expect(project.members.map((m: { user_id: string }) => m.user_id)).toEqual([ann.id]);
    expect(orders).toEqual([expect.objectContaining({ id: annsOrder.id, status: 'awaiting_payment' })]);
    const [transaction] = await platform.db('payment')('transactions').where({ order_id: annsOrder.id });
    expect(transaction).toMatchObject({ state: 'awaiting_payment', paid_by: null });
  });
});
