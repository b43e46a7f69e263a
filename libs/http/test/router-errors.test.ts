import { z } from 'zod';
import { testFacade } from './support/test-facade';

/** A facade with one route taking an id in its path. */
async function facadeWithAnId() {
  const app = await testFacade();
  app.get('/things/:id', { config: { access: 'public' }, schema: { params: z.strictObject({ id: z.uuid() }) } }, async () => ({}));
  await app.ready();
  return app;
}

describe('what fastify’s router refuses before any route, in the one error shape', () => {
  it('answers a path part longer than the router takes with 400 VALIDATION_FAILED naming the path, not fastify’s own 414', async () => {
    const app = await facadeWithAnId();
    const res = await app.inject({ method: 'GET', url: `/things/${'x'.repeat(101)}` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'VALIDATION_FAILED', message: expect.any(String), details: [{ field: 'path', message: 'a part of the path is longer than any id or name' }] });
  });

  it('answers a path that is not valid percent-encoding with 400 VALIDATION_FAILED naming the path', async () => {
    const app = await facadeWithAnId();
    const res = await app.inject({ method: 'GET', url: '/things/%zz' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'VALIDATION_FAILED', message: expect.any(String), details: [{ field: 'path', message: 'the path is not valid percent-encoding' }] });
  });

  it('still lets a path part up to the router’s length reach the route’s own validation', async () => {
    const app = await facadeWithAnId();
    const res = await app.inject({ method: 'GET', url: `/things/${'x'.repeat(100)}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ field: 'id', message: expect.any(String) }]);
  });
});
