// The shared suites run here on the smallest facade this lib defines, so that a change to them
// fails in this lib's own tests before it fails in every facade's.
import { ErrorRegistry } from '@platform/shimeji';
import { z } from 'zod';
import { defineFacade, ErrorTranslation, type Facade } from '../src';
import { describeFacadeAuth, describeFacadeValidation, FakeRpc, facadeUnderTest } from '../src/testing';

const O1 = '33333333-0000-4000-8000-000000000001';
const notes = { method: 'POST', url: `/orders/${O1}/notes` } as const;

/** POST /orders/:orderId/notes: a customer notes an order, the author being the token's user. */
function noteRoutes(app: Facade): void {
  const schema = { params: z.strictObject({ orderId: z.uuid('must be a UUID') }), body: z.strictObject({ text: z.string() }) };
  app.post('/orders/:orderId/notes', { config: { access: ['customer'] }, schema }, async (request, reply) =>
    reply.code(201).send(await request.rpc.call('order', 'addNote', [request.params.orderId, request.user.id, request.body.text])),
  );
}

const { app, tokenWith, bearer } = facadeUnderTest(
  defineFacade({
    routes: [noteRoutes],
    name: 'notes',
    audience: 'notes',
    roles: ['customer'],
    user: z.object({ id: z.string() }),
    whoAmI: true,
    version: '1.0.0',
    description: 'order notes',
    forWhom: 'customers',
    defaultPort: 8100,
    remoteErrors: new ErrorRegistry().register('user.exceptions.NotFound', class NotFound extends Error {}),
    httpErrors: new ErrorTranslation(),
  }),
  { sub: 'u7', role: 'customer' },
);

describeFacadeAuth({
  app,
  tokenWith,
  bearer,
  protectedRoute: { method: 'GET', url: '/me' },
  rpc: () => new FakeRpc().answer('user.getUser', (id: string) => ({ id })),
  otherAudiences: ['web', 'admin'],
  refusedRole: { role: 'support' },
  invalidBody: { ...notes, payload: { nope: 1 } },
  callerInBody: { ...notes, payload: { text: 'x', author_id: 'u9' }, field: 'author_id' },
});

describeFacadeValidation({
  app,
  bearer,
  unknownField: { method: 'POST', url: '/login', payload: { email: 'ann@example.com', password: 'x', role: 'admin' }, field: 'role', public: true },
  malformedJson: notes,
  notJson: notes,
  oversized: notes,
  notUuid: [{ method: 'POST', url: '/orders/not-a-uuid/notes', payload: { text: 'x' }, field: 'orderId' }],
  rateLimited: [{ method: 'POST', url: '/login', limit: 'login' }],
});

// A facade with none of these routes still gets the checks that need none, and no empty `.each`.
describe('a facade given only what it must be', () => describeFacadeValidation({ app, bearer }));
