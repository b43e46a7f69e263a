import { z } from 'zod';
import { compareContracts, judgeContractChange } from '../src/contract-changes';
import { testFacade } from './support/test-facade';

/** The document of a facade with one route to place an order and one to read it, as `shape` says. */
async function documentOf(shape: { version?: string; order?: z.ZodObject; newOrder?: z.ZodObject; extraRoute?: boolean; secured?: boolean } = {}) {
  const order = shape.order ?? z.object({ id: z.string(), amount: z.number().int(), status: z.enum(['placed', 'paid']), note: z.string().optional() });
  const newOrder = shape.newOrder ?? z.strictObject({ amount: z.number().int().min(1).max(1000), note: z.string().max(200).optional() });
  const app = await testFacade({ version: shape.version ?? '1.2.0' });
  app.post('/orders', { config: { access: 'public' }, schema: { body: newOrder, response: { 201: order } } }, async () => ({ id: 'o1', amount: 1, status: 'placed' }) as never);
  app.get('/orders/:id', { config: { access: shape.secured ? ['customer'] : 'public' }, schema: { response: { 200: order } } }, async () => ({ id: 'o1', amount: 1, status: 'placed' }) as never);
  if (shape.extraRoute) app.get('/orders', { config: { access: 'public' } }, async () => []);
  await app.ready();
  return app.swagger() as Record<string, any>;
}

const whatAt = (changes: { at: string; what: string }[]) => changes.map((change) => `${change.at}: ${change.what}`);

describe('what a change to a facade’s document means to its clients', () => {
  it('finds nothing between two builds of the same facade', async () => {
    expect(compareContracts(await documentOf(), await documentOf())).toEqual({ breaking: [], compatible: [] });
  });

  it('calls a removed route breaking and an added one compatible', async () => {
    const withList = await documentOf({ extraRoute: true });
    expect(whatAt(compareContracts(withList, await documentOf()).breaking)).toEqual(['GET /orders: route removed']);
    expect(compareContracts(await documentOf(), withList)).toEqual({ breaking: [], compatible: [{ at: 'GET /orders', what: 'route added' }] });
  });

  it('calls a new required field in a request breaking, and a new optional one compatible', async () => {
    const before = await documentOf();
    const required = await documentOf({ newOrder: z.strictObject({ amount: z.number().int().min(1).max(1000), note: z.string().max(200).optional(), currency: z.string() }) });
    const optional = await documentOf({ newOrder: z.strictObject({ amount: z.number().int().min(1).max(1000), note: z.string().max(200).optional(), currency: z.string().optional() }) });
    expect(whatAt(compareContracts(before, required).breaking)).toEqual(['POST /orders body.currency: new required field']);
    expect(compareContracts(before, optional).breaking).toEqual([]);
    expect(whatAt(compareContracts(before, optional).compatible)).toEqual(['POST /orders body.currency: new field']);
  });

  it('calls a request type that takes less breaking, and one that takes more compatible', async () => {
    const before = await documentOf();
    const narrowed = await documentOf({ newOrder: z.strictObject({ amount: z.number().int().min(1).max(500), note: z.string().max(200).optional() }) });
    const widened = await documentOf({ newOrder: z.strictObject({ amount: z.number().min(1).max(1000), note: z.string().max(200).optional() }) });
    expect(whatAt(compareContracts(before, narrowed).breaking)).toEqual(['POST /orders body.amount: maximum 1000 → 500']);
    expect(compareContracts(before, widened)).toEqual({ breaking: [], compatible: [{ at: 'POST /orders body.amount', what: 'type now also number (integer → number)' }] });
  });

  it('calls a response field removed, made optional or given new values breaking', async () => {
    const before = await documentOf();
    const after = await documentOf({ order: z.object({ id: z.string().optional(), status: z.enum(['placed', 'paid', 'refunded']), note: z.string().optional() }) });
    expect(whatAt(compareContracts(before, after).breaking)).toEqual([
      'POST /orders 201.id: field may now be missing',
      'POST /orders 201.amount: field removed',
      'POST /orders 201.status: values added: ["refunded"]',
      'GET /orders/{id} 200.id: field may now be missing',
      'GET /orders/{id} 200.amount: field removed',
      'GET /orders/{id} 200.status: values added: ["refunded"]',
    ]);
  });

  it('calls a response that gives a new field or fewer values compatible', async () => {
    const after = await documentOf({ order: z.object({ id: z.string(), amount: z.number().int(), status: z.enum(['placed']), note: z.string().optional(), placed_at: z.string() }) });
    expect(compareContracts(await documentOf(), after).breaking).toEqual([]);
  });

  it('calls a route that now needs a token breaking', async () => {
    const changes = compareContracts(await documentOf(), await documentOf({ secured: true }));
    expect(whatAt(changes.breaking)).toEqual(['GET /orders/{id}: now needs a token']);
    expect(whatAt(changes.compatible)).toContain('GET /orders/{id} 401: new error response');
  });
});

describe('a change to a facade’s contract', () => {
  it('is accepted when nothing in it breaks, at the same version', async () => {
    expect(judgeContractChange(await documentOf(), await documentOf({ extraRoute: true }))).toMatchObject({ accepted: true });
  });

  it('is refused when it breaks a client at the same major version, naming each breaking change and the version to give', async () => {
    const verdict = judgeContractChange(await documentOf({ extraRoute: true }), await documentOf({ version: '1.3.0' }));
    expect(verdict.accepted).toBe(false);
    expect(verdict.reason).toContain('raise the facade\'s major version (its `version`) to 2.0.0');
    expect(verdict.reason).toContain('  - GET /orders: route removed');
  });

  it('is accepted when it breaks a client and the major version says so', async () => {
    expect(judgeContractChange(await documentOf({ extraRoute: true }), await documentOf({ version: '2.0.0' }))).toMatchObject({ accepted: true });
  });

  it('is refused when the document’s version is not major.minor.patch', async () => {
    expect(judgeContractChange(await documentOf(), await documentOf({ version: 'next' }))).toMatchObject({ accepted: false, reason: expect.stringContaining('"next" is not a version') });
  });
});
