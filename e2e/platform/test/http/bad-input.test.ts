// Bad input on representative routes of each facade, over real HTTP: malformed JSON, another
// content type, an oversized body, unknown fields, wrong types, injection strings, traversal in
// ids, ids that are not UUIDs, texts over the services' limits. Each is a 4xx in the one error shape
// naming the facade's own field, writes nothing, and — refused by the facade's own validation —
// sends no RPC. Injection strings that are valid input are kept verbatim.
import { randomUUID } from 'node:crypto';
import type { Reply } from './client';
import { ADMIN, type Customer, PASSWORD, SUPPORT, uniqueEmail, usePlatform } from './harness';
import { createProject, placeOrder, type Project } from './steps';

const SQL = "'; DROP TABLE users; --";
const SCRIPT = '<script>alert("x")</script>';
const LONG = 'x'.repeat(10_000);
const json = { 'content-type': 'application/json' };

type Case = [string, () => Promise<Reply>, number, string, string];

describe('bad input', () => {
  const platform = usePlatform();
  let ann: Customer;
  let project: Project;
  let admin: string;
  let support: string;

  beforeAll(async () => {
    ann = await platform.signUp('Ann');
    project = await createProject(platform, ann, 'Garden');
    admin = await platform.admin.login(ADMIN.email, ADMIN.password);
    support = await platform.support.login(SUPPORT.email, SUPPORT.password);
    // What signing up and the project set off (the welcome email, …) lands before rows are counted.
    await platform.settledRowCounts();
  });

  /** Refused by the facade itself: the status and code, the field named, no RPC, no row written. */
  async function expectRefused(send: () => Promise<Reply>, status: number, code: string, field: string): Promise<Reply> {
    const before = await platform.rowCounts();
    const reply = await send();
    expect({ status: reply.status, error: reply.body?.error }).toEqual({ status, error: code });
    expect(reply.body).toEqual({ error: code, message: expect.any(String), details: expect.any(Array) });
    expect(reply.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(reply.rpcCalls).toEqual([]);
    expect(await platform.rowCounts()).toEqual(before);
    return reply;
  }

  describe('the web facade refuses', () => {
    const web = () => platform.web;
    const post = (path: string, body: unknown) => web().post(path, body, ann.token);
    const raw = (path: string, body: string, headers: Record<string, string>) => web().request('POST', path, { token: ann.token, body, headers });
    const cases: Case[] = [
      ['malformed JSON', () => raw('/projects', '{"name": "Garden"', json), 400, 'MALFORMED_JSON', 'body'],
      ['an empty JSON body', () => raw('/projects', '', json), 400, 'MALFORMED_JSON', 'body'],
      ['a JSON array for an object', () => raw('/projects', '[{"name": "Garden"}]', json), 400, 'VALIDATION_FAILED', '(root)'],
      ['text/plain', () => raw('/projects', 'name=Garden', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE', 'content-type'],
      ['a form', () => raw('/projects', 'name=Garden', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'UNSUPPORTED_MEDIA_TYPE', 'content-type'],
      ['a body with no content type', () => raw('/projects', '{"name": "Garden"}', {}), 415, 'UNSUPPORTED_MEDIA_TYPE', 'content-type'],
      ['a body over 64 KiB', () => post('/projects', { name: 'x'.repeat(70_000) }), 413, 'PAYLOAD_TOO_LARGE', 'body'],
      ['an unknown field (owner_id)', () => post('/projects', { name: 'Garden', owner_id: randomUUID() }), 400, 'VALIDATION_FAILED', 'owner_id'],
      ['registering with a role', () => web().post('/register', { email: uniqueEmail('Mal'), name: 'Mal', password: PASSWORD, role: 'admin' }), 400, 'VALIDATION_FAILED', 'role'],
      ['a number for an email', () => web().post('/register', { email: 5, name: 'Mal', password: PASSWORD }), 400, 'VALIDATION_FAILED', 'email'],
      ['an array for a name', () => post('/projects', { name: ['Garden'] }), 400, 'VALIDATION_FAILED', 'name'],
      ['an amount as a string', () => post(`/projects/${project.id}/orders`, { description: 'Seeds', amount: '1500', currency: 'EUR' }), 400, 'VALIDATION_FAILED', 'amount'],
      ['a fractional amount', () => post(`/projects/${project.id}/orders`, { description: 'Seeds', amount: 12.5, currency: 'EUR' }), 400, 'VALIDATION_FAILED', 'amount'],
      ['a negative amount', () => post(`/projects/${project.id}/orders`, { description: 'Seeds', amount: -1500, currency: 'EUR' }), 400, 'VALIDATION_FAILED', 'amount'],
      ['a currency in lower case', () => post(`/projects/${project.id}/orders`, { description: 'Seeds', amount: 1500, currency: 'eur' }), 400, 'VALIDATION_FAILED', 'currency'],
      ['a currency ISO 4217 does not know', () => post(`/projects/${project.id}/orders`, { description: 'Seeds', amount: 1500, currency: 'ABC' }), 400, 'VALIDATION_FAILED', 'currency'],
      ['a currency Stripe does not charge in', () => post(`/projects/${project.id}/orders`, { description: 'Seeds', amount: 1500, currency: 'XDR' }), 400, 'VALIDATION_FAILED', 'currency'],
      ['more than Stripe charges in one payment', () => post(`/projects/${project.id}/orders`, { description: 'Seeds', amount: 100_000_000, currency: 'EUR' }), 400, 'VALIDATION_FAILED', 'amount'],
      ['less than Stripe charges in the currency', () => post(`/projects/${project.id}/orders`, { description: 'Seeds', amount: 49, currency: 'EUR' }), 400, 'VALIDATION_FAILED', 'amount'],
      ['a body nested deeper than 32 levels', () => raw('/projects', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, json), 400, 'VALIDATION_FAILED', 'body'],
      ['a name over 100 characters', () => web().post('/register', { email: uniqueEmail('Mal'), name: 'n'.repeat(101), password: PASSWORD }), 400, 'VALIDATION_FAILED', 'name'],
      ['a password over 128 characters', () => web().post('/register', { email: uniqueEmail('Mal'), name: 'Mal', password: 'p'.repeat(129) }), 400, 'VALIDATION_FAILED', 'password'],
      ['a login password over 128 characters', () => web().post('/login', { email: ann.email, password: 'p'.repeat(129) }), 400, 'VALIDATION_FAILED', 'password'],
      ['a very long project name', () => post('/projects', { name: LONG }), 400, 'VALIDATION_FAILED', 'name'],
      ['a very long order description', () => post(`/projects/${project.id}/orders`, { description: LONG, amount: 1500, currency: 'EUR' }), 400, 'VALIDATION_FAILED', 'description'],
      ['SQL as a member’s email', () => post(`/projects/${project.id}/members`, { email: `ann@example.com${SQL}` }), 400, 'VALIDATION_FAILED', 'email'],
      ['a script as a member’s email', () => post(`/projects/${project.id}/members`, { email: SCRIPT }), 400, 'VALIDATION_FAILED', 'email'],
      ['a NUL byte in a member’s email', () => post(`/projects/${project.id}/members`, { email: 'ann\u0000@example.com' }), 400, 'VALIDATION_FAILED', 'email'],
      ['SQL as a card token', () => post('/payment-methods', { token: `pm_card_visa${SQL}` }), 400, 'VALIDATION_FAILED', 'token'],
      ['a script as a payment method', () => post(`/projects/${project.id}/orders/${randomUUID()}/payment`, { payment_method_id: SCRIPT }), 400, 'VALIDATION_FAILED', 'payment_method_id'],
      ['path traversal as a project id', () => web().get('/projects/..%2F..%2Fetc%2Fpasswd', ann.token), 400, 'VALIDATION_FAILED', 'projectId'],
      ['SQL as a project id', () => web().get(`/projects/${encodeURIComponent("1' OR '1'='1")}/orders`, ann.token), 400, 'VALIDATION_FAILED', 'projectId'],
      ['a NUL byte in a project id', () => web().get(`/projects/${project.id}%00/orders`, ann.token), 400, 'VALIDATION_FAILED', 'projectId'],
      ['an id of 65 characters', () => web().get(`/projects/${'a'.repeat(65)}`, ann.token), 400, 'VALIDATION_FAILED', 'projectId'],
    ];
    it.each(cases)('%s', async (_case, send, status, code, field) => expectRefused(send, status, code, field));
  });

  describe('the admin facade refuses', () => {
    const post = (path: string, body: unknown) => platform.admin.post(path, body, admin);
    const confirm = (body: unknown) => post(`/projects/${project.id}/orders/${randomUUID()}`, body);
    const cases: Case[] = [
      ['malformed JSON at login', () => platform.admin.request('POST', '/login', { body: `{"email": "${ADMIN.email}",`, headers: json }), 400, 'MALFORMED_JSON', 'body'],
      ['a role that does not exist', () => platform.admin.put(`/users/${ann.id}/role`, { role: 'superuser' }, admin), 400, 'VALIDATION_FAILED', 'role'],
      ['naming the actor in the body', () => platform.admin.put(`/users/${ann.id}/role`, { role: 'admin', actorId: randomUUID() }, admin), 400, 'VALIDATION_FAILED', 'actorId'],
      ['a blank reason', () => post(`/users/${ann.id}/suspend`, { reason: '   ' }), 400, 'VALIDATION_FAILED', 'reason'],
      ['a reason over 500 characters', () => post(`/users/${ann.id}/suspend`, { reason: 'r'.repeat(501) }), 400, 'VALIDATION_FAILED', 'reason'],
      ['a number for a reason', () => post(`/projects/${project.id}/orders/${randomUUID()}/refund`, { reason: 42 }), 400, 'VALIDATION_FAILED', 'reason'],
      ['a page size of 1000', () => platform.admin.get('/users?page_size=1000', admin), 400, 'VALIDATION_FAILED', 'page_size'],
      ['a page that is not a number', () => platform.admin.get('/projects?page=abc', admin), 400, 'VALIDATION_FAILED', 'page'],
      ['a search over 254 characters', () => platform.admin.get(`/users?q=${'q'.repeat(255)}`, admin), 400, 'VALIDATION_FAILED', 'q'],
      ['a login password over 128 characters', () => platform.admin.post('/login', { email: ADMIN.email, password: 'p'.repeat(129) }), 400, 'VALIDATION_FAILED', 'password'],
      ['an unknown query parameter', () => platform.admin.get('/users?role=admin', admin), 400, 'VALIDATION_FAILED', 'role'],
      ['path traversal as a user id', () => post('/users/..%2F..%2Fadmin/suspend', { reason: 'x' }), 400, 'VALIDATION_FAILED', 'userId'],
      ['SQL as the payer', () => confirm({ payment_method_id: 'pm_card_visa', paid_by: SQL }), 400, 'VALIDATION_FAILED', 'paid_by'],
      ['a script as the payment method', () => confirm({ payment_method_id: SCRIPT, paid_by: ann.id }), 400, 'VALIDATION_FAILED', 'payment_method_id'],
      ['a confirmation without a payer', () => confirm({ payment_method_id: 'pm_card_visa' }), 400, 'VALIDATION_FAILED', 'paid_by'],
      ['a body over 64 KiB', () => post(`/users/${ann.id}/suspend`, { reason: 'x'.repeat(70_000) }), 413, 'PAYLOAD_TOO_LARGE', 'body'],
    ];
    it.each(cases)('%s', async (_case, send, status, code, field) => expectRefused(send, status, code, field));
  });

  describe('the support facade refuses', () => {
    const get = (path: string) => platform.support.get(path, support);
    const cases: Case[] = [
      ['a login that is not JSON', () => platform.support.request('POST', '/login', { body: 'email=a', headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE', 'content-type'],
      ['an email that is not one', () => get('/customers?email=not-an-email'), 400, 'VALIDATION_FAILED', 'email'],
      ['SQL as an email', () => get(`/customers?email=${encodeURIComponent(`a@example.com${SQL}`)}`), 400, 'VALIDATION_FAILED', 'email'],
      ['a NUL byte in an email', () => get('/customers?email=ann%00@example.com'), 400, 'VALIDATION_FAILED', 'email'],
      ['no email at all', () => get('/customers'), 400, 'VALIDATION_FAILED', 'email'],
      ['an unknown query parameter', () => get('/customers?email=ann@example.com&all=true'), 400, 'VALIDATION_FAILED', 'all'],
      ['path traversal as a customer id', () => get('/customers/..%2F..%2Fetc/overview'), 400, 'VALIDATION_FAILED', 'userId'],
      ['a script as an order id', () => platform.support.request('POST', `/orders/${encodeURIComponent(SCRIPT)}/receipt`, { token: support }), 400, 'VALIDATION_FAILED', 'orderId'],
      ['a field in the body of a receipt resend', () => platform.support.post(`/orders/${randomUUID()}/receipt`, { x: 1 }, support), 400, 'VALIDATION_FAILED', 'x'],
      ['naming who asks for a receipt resend', () => platform.support.post(`/orders/${randomUUID()}/receipt`, { requestedBy: randomUUID() }, support), 400, 'VALIDATION_FAILED', 'requestedBy'],
      ['a login password over 128 characters', () => platform.support.post('/login', { email: SUPPORT.email, password: 'p'.repeat(129) }), 400, 'VALIDATION_FAILED', 'password'],
    ];
    it.each(cases)('%s', async (_case, send, status, code, field) => expectRefused(send, status, code, field));
  });

  describe('ids of the right characters that are not UUIDs', () => {
    // Every service wants UUIDs: the facades want them too, and refuse the rest naming their own field.
    const NOT_A_UUID = 'not-a-uuid';
    const card = { payment_method_id: 'pm_card_visa' };
    const cases: [string, string, () => Promise<Reply>][] = [
      ['web: a project', 'projectId', () => platform.web.get(`/projects/${NOT_A_UUID}`, ann.token)],
      ['web: paying an order', 'orderId', () => platform.web.post(`/projects/${project.id}/orders/${NOT_A_UUID}/payment`, { payment_method_id: 'pm_card_visa' }, ann.token)],
      ['admin: suspending a user', 'userId', () => platform.admin.post(`/users/${NOT_A_UUID}/suspend`, { reason: 'x' }, admin)],
      ['admin: a project’s orders', 'projectId', () => platform.admin.get(`/projects/${NOT_A_UUID}/orders`, admin)],
      ['admin: confirming an order’s payment', 'orderId', () => platform.admin.post(`/projects/${project.id}/orders/${NOT_A_UUID}`, { ...card, paid_by: ann.id }, admin)],
      ['admin: confirming a payment by a payer', 'paid_by', () => platform.admin.post(`/projects/${project.id}/orders/${randomUUID()}`, { ...card, paid_by: NOT_A_UUID }, admin)],
      ['admin: refunding an order', 'orderId', () => platform.admin.post(`/projects/${project.id}/orders/${NOT_A_UUID}/refund`, { reason: 'x' }, admin)],
      ['support: a customer’s overview', 'userId', () => platform.support.get(`/customers/${NOT_A_UUID}/overview`, support)],
      ['support: a customer’s emails', 'userId', () => platform.support.get(`/customers/${NOT_A_UUID}/messages`, support)],
      ['support: resending a receipt', 'orderId', () => platform.support.request('POST', `/orders/${NOT_A_UUID}/receipt`, { token: support })],
    ];
    it.each(cases)('%s is 400 VALIDATION_FAILED naming %s: no RPC, nothing written', async (_case, field, send) => {
      const reply = await expectRefused(send, 400, 'VALIDATION_FAILED', field);
      expect(reply.body.details).toEqual([{ field, message: 'must be a UUID' }]);
    });
  });

  describe('injection strings that are valid input', () => {
    it('are kept verbatim in a project and an order, and every table is still there', async () => {
      const before = await platform.settledRowCounts();
      const name = "'; DROP TABLE projects; --";
      const created = await platform.web.post('/projects', { name, description: SCRIPT }, ann.token);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name, description: SCRIPT });
      expect((await platform.web.get(`/projects/${created.body.id}`, ann.token)).body).toMatchObject({ name, description: SCRIPT });

      const description = "Robert'); DROP TABLE orders;-- <img src=x onerror=alert(1)>";
      const order = await placeOrder(platform, ann, created.body, description);
      expect(order.description).toBe(description);
      const [listed] = (await platform.admin.get(`/projects/${created.body.id}/orders`, admin)).body;
      expect(listed.description).toBe(description);
      const [row] = await platform.db('project')('projects').where({ id: created.body.id });
      expect({ name: row.name, description: row.description }).toEqual({ name, description: SCRIPT });

      const after = await platform.settledRowCounts();
      expect(Object.keys(after)).toEqual(Object.keys(before));
      expect(after['project.projects']).toBe(before['project.projects']! + 1);
      expect(after['project.orders']).toBe(before['project.orders']! + 1);
      expect(after['payment.transactions']).toBe(before['payment.transactions']! + 1);
    });

    it('are kept verbatim in a customer’s name, and an admin’s search for SQL finds only that text', async () => {
      const name = `Robert'); DROP TABLE users;-- ${SCRIPT}`;
      const email = uniqueEmail('Robert');
      const registered = await platform.web.post('/register', { email, name, password: PASSWORD });
      expect(registered.status).toBe(201);
      expect(registered.body.name).toBe(name);
      const found = await platform.support.get(`/customers?email=${encodeURIComponent(email)}`, support);
      expect(found.body.name).toBe(name);

      for (const q of ["' OR '1'='1", '%', '_']) {
        const search = await platform.admin.get(`/users?q=${encodeURIComponent(q)}`, admin);
        expect({ q, status: search.status, total: search.body.total }).toEqual({ q, status: 200, total: 0 });
      }
      const everyone = await platform.admin.get('/users?page_size=100', admin);
      expect(everyone.body.total).toBeGreaterThanOrEqual(4);
      expect((await platform.admin.get(`/users?q=${encodeURIComponent(email)}`, admin)).body.items).toEqual([
        expect.objectContaining({ email, name }),
      ]);
    });
  });
});
