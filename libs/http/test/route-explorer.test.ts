import { ErrorRegistry } from '@platform/shimeji';
import { z } from 'zod';
import { ErrorTranslation, type FacadeRoutes, httpErrors } from '../src';
import { exploreFacade, facadeUnderTest, type Replies } from '../src/testing';
import { NotFound, shopFacade } from './support/shop-facade';

const U1 = '11111111-0000-4000-8000-000000000001';
const T1 = '55555555-0000-4000-8000-000000000001';

const Thing = z.object({ id: z.string(), name: z.string() });
const NewThing = z.strictObject({ name: z.string().min(1).max(20), size: z.number().int().min(1).max(10).optional() });
const ThingParams = z.strictObject({ id: z.uuid() });

/** Each test's routes: the shop and its apps are made once, for the file's afterEach to close them. */
let routesOfTest: FacadeRoutes = () => {};
const shop = shopFacade({
  routes: [(app) => routesOfTest(app)],
  remoteErrors: new ErrorRegistry().registerService('user', { NotFound }).registerService('thing', { NotFound }),
  httpErrors: new ErrorTranslation().on(NotFound, httpErrors.NotFound),
});
const { app: shopApp, tokenWith } = facadeUnderTest(shop, { sub: U1, role: 'customer' });

/** The shop for customers with `routes`, consuming the user and thing services' NotFound (404), explored with `replies`. */
async function explore(routes: FacadeRoutes, replies: Replies) {
  routesOfTest = routes;
  return exploreFacade(shop, { app: shopApp, tokenWith }, {
    otherRoles: ['admin'],
    examples: { id: [T1] },
    runs: 40,
    replies: { 'user.authenticate': [{ id: U1, role: 'customer' }], ...replies },
  });
}

const customers = { access: ['customer'] };

describe('the route explorer', () => {
  it('passes a facade whose every route answers as its document says, whatever the fake answers', async () => {
    const routes: FacadeRoutes = (app) => {
      app.get('/things/:id', { config: customers, schema: { params: ThingParams, response: { 200: Thing } } }, async (request) =>
        request.rpc.call('thing', 'getThing', [request.params.id]),
      );
      app.post('/things', { config: customers, schema: { body: NewThing, response: { 201: Thing } } }, async (request, reply) =>
        reply.code(201).send(await request.rpc.call('thing', 'addThing', [request.body.name])),
      );
    };
    const report = await explore(routes, { 'thing.getThing': [{ id: T1, name: 'lamp' }], 'thing.addThing': [{ id: T1, name: 'lamp' }] });
    // Both the happy path and the refusals were reached: the explorer sends valid and invalid requests.
    expect(Object.keys(report['POST /things']!)).toEqual(expect.arrayContaining(['201', '400', '401']));
  });

  it('catches a route that answers a status its document does not list, naming the request and the response', async () => {
    const routes: FacadeRoutes = (app) => {
      app.post('/things', { config: customers, schema: { body: NewThing } }, async (_request, reply) =>
        reply.code(418).send({ error: 'TEAPOT', message: 'I am a teapot', details: [] }),
      );
    };
    const exploring = explore(routes, {});
    await expect(exploring).rejects.toThrow(/POST \/things answered 418, which its document does not list \(it lists 200, 400, 401,/);
    await expect(exploring).rejects.toThrow(/token: a valid token of a customer[\s\S]*body: \{"name":[\s\S]*response 418: \{"error":"TEAPOT"/);
  });

  it('catches a route that answers 500 when the fake gives a reply it did not expect, showing the fake’s answers and what was thrown', async () => {
    const routes: FacadeRoutes = (app) => {
      app.get('/things/:id', { config: customers, schema: { params: ThingParams, response: { 200: z.object({ owner: z.string() }) } } }, async (request) => {
        const thing = await request.rpc.call<{ owner: { name: string } | null }>('thing', 'getThing', [request.params.id]);
        return { owner: thing.owner!.name };
      });
    };
    const exploring = explore(routes, { 'thing.getThing': [{ owner: { name: 'Ann' } }, { owner: null }] });
    await expect(exploring).rejects.toThrow(/GET \/things\/[^ ]+ answered 500/);
    await expect(exploring).rejects.toThrow(/the fake answered: \n {4}thing\.getThing\("[^"]*"\) → reply #1[\s\S]*the app logged: .*TypeError/);
  });

  it('catches a call the fake has no reply for, naming it', async () => {
    const routes: FacadeRoutes = (app) => {
      app.get('/things/:id', { config: customers, schema: { params: ThingParams } }, async (request) => request.rpc.call('thing', 'getThing', [request.params.id]));
    };
    await expect(explore(routes, {})).rejects.toThrow(/thing\.getThing\("[^"]*"\) → the fake has no reply for it/);
  });
});
