import { ConnectionLost, RpcTimeout } from '@platform/shimeji';
import { z } from 'zod';
import { ErrorBody, errorsOfRoute } from '../src/documented-errors';
import { ErrorTranslation, httpErrors } from '../src';
import { testFacade } from './support/test-facade';

class Taken extends Error {}
class Declined extends Error {
  constructor(message: string, readonly reason: string) {
    super(message);
  }
}

interface Operation {
  summary?: string;
  security?: unknown;
  responses: Record<string, { description: string; content?: Record<string, { schema: { $ref?: string } }> }>;
}

/** A facade with one route of each kind, and the document it serves. */
async function documentOf(translation = new ErrorTranslation()) {
  const app = await testFacade({ errors: translation });
  app.get('/open', { config: { access: 'public' } }, async () => ({}));
  app.get('/mine', { config: { access: ['customer'] } }, async () => ({}));
  app.post('/login', { config: { access: 'public', limit: 'login' } }, async () => ({}));
  app.post('/things', { config: { access: ['customer'] }, schema: { body: z.strictObject({ name: z.string() }), response: { 201: z.object({ id: z.string() }) } } }, async () => ({ id: '1' }));
  app.get('/things/:id', { config: { access: ['customer'] }, schema: { response: { 404: z.object({ gone: z.boolean() }) } } }, async () => ({ gone: false }));
  await app.ready();
  const document = (await app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };
  const operation = (path: string, method: string) => document.paths[path]![method]!;
  const statuses = (path: string, method: string) => Object.keys(operation(path, method).responses);
  return { app, document, operation, statuses };
}

describe('the error responses in a facade’s OpenAPI document', () => {
  it('gives a public read validation’s 400, a refusing service’s 403, an unreachable one’s 503 and a slow one’s 504, and no more', async () => {
    const { statuses } = await documentOf();
    expect(statuses('/open', 'get')).toEqual(['200', '400', '403', '503', '504']);
  });

  it('adds 401 and the bearer token to a route that needs a role', async () => {
    const { statuses, operation } = await documentOf();
    expect(statuses('/mine', 'get')).toEqual(['200', '400', '401', '403', '503', '504']);
    expect(operation('/mine', 'get').security).toEqual([{ bearer: [] }]);
    expect(operation('/open', 'get').security).toBeUndefined();
  });

  it('adds 429 to a route under a rate limit, and a body’s 413, 415 and Idempotency-Key 422 to a POST', async () => {
    const { statuses } = await documentOf();
    expect(statuses('/login', 'post')).toEqual(['200', '400', '403', '413', '415', '422', '429', '503', '504']);
    expect(statuses('/things', 'post')).toEqual(['201', '400', '401', '403', '413', '415', '422', '503', '504']);
  });

  it('lists the status of every rule of the facade’s translation, naming its code', async () => {
    const translation = new ErrorTranslation().on(Taken, httpErrors.Conflict).on(Declined, httpErrors.PaymentRequired, (e) => [e.message, [{ field: 'card', message: e.reason }]]);
    const { statuses, operation } = await documentOf(translation);
    expect(statuses('/open', 'get')).toEqual(['200', '400', '402', '403', '409', '503', '504']);
    expect(operation('/open', 'get').responses['409']!.description).toBe(`- \`CONFLICT\`: ${httpErrors.Conflict.description}`);
  });

  it('names every code a status can carry on the route, each with what it means', async () => {
    const { operation } = await documentOf(new ErrorTranslation().on(Taken, httpErrors.BadRequest));
    expect(operation('/things', 'post').responses['400']!.description).toBe(
      [httpErrors.ValidationFailed, httpErrors.MalformedJson, httpErrors.BadRequest].map((cls) => `- \`${cls.code}\`: ${cls.description}`).join('\n'),
    );
  });

  it('gives every error response the one error shape, kept once in the components', async () => {
    const { document, operation } = await documentOf();
    expect(operation('/mine', 'get').responses['401']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(document.components.schemas.Error).toMatchObject({ type: 'object', required: ['error', 'message', 'details'] });
  });

  it('keeps a response the route declares itself over the one it would be given', async () => {
    const { operation } = await documentOf();
    expect(operation('/things/{id}', 'get').responses['404']!.content!['application/json']!.schema).toMatchObject({ properties: { gone: { type: 'boolean' } } });
  });

  it('matches what the facade answers: its errors fit the shape and have the statuses the route lists', async () => {
    const translation = new ErrorTranslation().on(Taken, httpErrors.Conflict);
    const failures = [new Taken('taken'), new ConnectionLost('gone'), new RpcTimeout('slow', 'thing', 100)];
    const app = await testFacade({ errors: translation });
    app.get('/fails/:n', { config: { access: 'public' } }, async (request) => {
      throw failures[Number((request.params as { n: string }).n)];
    });
    await app.ready();
    const listed = errorsOfRoute({ method: 'GET', config: { access: 'public' } }, translation).map((cls) => cls.statusCode);
    for (const n of failures.keys()) {
      const res = await app.inject({ url: `/fails/${n}` });
      expect(listed).toContain(res.statusCode);
      expect(ErrorBody.strict().safeParse(res.json()).success).toBe(true);
    }
  });
});
