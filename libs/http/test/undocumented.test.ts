import { z } from 'zod';
import { servedDocument, undocumentedParts } from '../src/testing';
import { testFacade } from './support/test-facade';

const Thing = z.object({
  id: z.uuid().describe('The thing’s id'),
  tags: z.array(z.object({ name: z.string().describe('The tag as written') })).describe('Its tags, in the order given'),
  owner: z.object({ email: z.string().describe('Where the owner is reached') }).nullable().describe('Who owns it, if anyone does'),
}).describe('The thing');

/** A facade with `/things/:id` declared with `overrides` in place of its documented parts, and its document. */
async function documentWith(overrides: Record<string, unknown> = {}, response: z.ZodType = Thing) {
  const app = await testFacade();
  app.post(
    '/things/:id',
    {
      config: { access: ['customer'] },
      schema: {
        summary: 'Rename a thing',
        description: 'Gives the thing a new name; its owner only.',
        params: z.strictObject({ id: z.uuid().describe('The thing’s id') }),
        querystring: z.strictObject({ dry_run: z.boolean().optional().describe('Only check that it could be renamed') }),
        body: z.strictObject({ name: z.string().describe('The new name') }),
        response: { 200: response },
        ...overrides,
      },
    },
    async () => ({}),
  );
  app.get('/hidden', { config: { access: 'public' }, schema: { hide: true } }, async () => ({}));
  await app.ready();
  return servedDocument(app);
}

describe('what a facade’s OpenAPI document leaves undocumented', () => {
  it('is nothing for a document that describes every operation, parameter, field and response', async () => {
    expect(undocumentedParts(await documentWith())).toEqual([]);
  });

  it('names an operation without a summary or a description', async () => {
    expect(undocumentedParts(await documentWith({ summary: undefined, description: undefined }))).toEqual(['POST /things/{id}: summary', 'POST /things/{id}: description']);
  });

  it('names a path or query parameter without a description', async () => {
    const parts = undocumentedParts(await documentWith({ params: z.strictObject({ id: z.uuid() }), querystring: z.strictObject({ dry_run: z.boolean().optional() }) }));
    expect(parts.sort()).toEqual(['POST /things/{id}: path parameter id', 'POST /things/{id}: query parameter dry_run']);
  });

  it('names a field of the body without a description by its path', async () => {
    expect(undocumentedParts(await documentWith({ body: z.strictObject({ name: z.string() }) }))).toEqual(['POST /things/{id}: body.name']);
  });

  it('names a response field without a description, however deep, in arrays and nullable objects', async () => {
    const Undescribed = z.object({
      id: z.uuid(),
      tags: z.array(z.object({ name: z.string() })).describe('Its tags'),
      owner: z.object({ email: z.string() }).nullable().describe('Its owner'),
    }).describe('The thing');
    expect(undocumentedParts(await documentWith({}, z.array(Undescribed).describe('The things')))).toEqual([
      'POST /things/{id}: 200 response[].id',
      'POST /things/{id}: 200 response[].tags[].name',
      'POST /things/{id}: 200 response[].owner.email',
    ]);
  });

  it('names a response the route left as the default one', async () => {
    expect(undocumentedParts(await documentWith({}, z.object({ id: z.uuid().describe('The thing’s id') })))).toEqual(['POST /things/{id}: 200 response']);
  });

  it('leaves out hidden routes and the error responses, which refer to the documented Error component', async () => {
    const document = await documentWith();
    expect(document.paths!['/hidden']).toBeUndefined();
    expect(Object.keys(document.paths!['/things/{id}']!.post.responses)).toContain('401');
    expect(undocumentedParts(document)).toEqual([]);
  });
});
