import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { ErrorTranslation, httpErrors } from '../src';
import { testFacade } from './support/test-facade';


const facade = testFacade;

describe('buildFacade', () => {
  test('/health answers alive, /ready follows the transport', async () => {
    const transport = { connected: true };
    const app = await facade({ rpcClient: { call: async () => ({}), transport } });
    expect((await app.inject({ url: '/health' })).json()).toEqual({ status: 'alive' });
    expect((await app.inject({ url: '/ready' })).statusCode).toBe(200);
    transport.connected = false;
    const down = await app.inject({ url: '/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json().error).toBe('SERVICE_UNAVAILABLE');
  });

  test('/ready names each unhealthy dependency in its body', async () => {
    const transport = { connected: false };
    const app = await facade({ rpcClient: { call: async () => ({}), transport }, readinessChecks: { cache: () => false, search: async () => true } });
    const down = await app.inject({ url: '/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json().details).toEqual([
      { field: 'broker', message: 'unhealthy' },
      { field: 'cache', message: 'unhealthy' },
    ]);
  });

  test('a route that declares no access is refused when it is added', async () => {
    const app = await facade();
    expect(() => app.get('/open', async () => ({}))).toThrow(/declares no access/);
  });

  test('a NUL character anywhere in params, query or body is refused naming the field, before the handler', async () => {
    const calls: string[] = [];
    const app = await facade({ rpcClient: { call: async (service: string, method: string) => (calls.push(`${service}.${method}`), {}) } });
    app.post(
      '/notes/:noteId',
      {
        config: { access: 'public' },
        schema: { params: z.object({ noteId: z.string() }), querystring: z.object({ q: z.string().optional() }), body: z.object({ text: z.string() }) },
      },
      async (request) => request.rpc.call('notes', 'write', [request.params.noteId, request.body.text]),
    );
    await app.ready();
    const cases = [
      { url: '/notes/a%00b', payload: { text: 'ok' }, part: 'params', field: 'noteId' },
      { url: '/notes/n1?q=x%00', payload: { text: 'ok' }, part: 'querystring', field: 'q' },
      { url: '/notes/n1', payload: { text: 'broken\u0000' }, part: 'body', field: 'text' },
    ];
    for (const { url, payload, part, field } of cases) {
      const res = await app.inject({ method: 'POST', url, payload });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        error: 'VALIDATION_FAILED',
        message: `invalid ${part}: ${field}: must not contain NUL characters (\\u0000)`,
        details: [{ field, message: 'must not contain NUL characters (\\u0000)' }],
      });
    }
    expect(calls).toEqual([]);
    expect((await app.inject({ method: 'POST', url: '/notes/n1', payload: { text: 'fine' } })).statusCode).toBe(200);
    expect(calls).toEqual(['notes.write']);
  });

  test('an error’s headers go out with its answer, as a Retry-After on a 503', async () => {
    class ProviderDown extends Error {}
    const errors = new ErrorTranslation().on(ProviderDown, httpErrors.PaymentProviderUnavailable, (e) => [e.message, [], { 'retry-after': '10' }]);
    const app = await facade({ errors, rpcClient: { call: async () => { throw new ProviderDown('Stripe cannot be reached'); } } });
    app.post('/pay', { config: { access: 'public' } }, async (request) => request.rpc.call('payment', 'payOrder', []));
    const res = await app.inject({ method: 'POST', url: '/pay' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('10');
    expect(res.json()).toEqual({ error: 'PAYMENT_PROVIDER_UNAVAILABLE', message: 'Stripe cannot be reached', details: [] });
  });

  test('security headers are set', async () => {
    const app = await facade();
    const res = await app.inject({ url: '/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
  });

  test('the OpenAPI document is built from the zod schemas and served under /docs', async () => {
    const app = await facade();
    app.post(
      '/things',
      { config: { access: 'public' }, schema: { body: z.strictObject({ name: z.string() }), response: { 200: z.object({ id: z.string() }) } } },
      async () => ({ id: '1' }),
    );
    await app.ready();
    const doc = (await app.inject({ url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/things'].post.requestBody.content['application/json'].schema.properties.name.type).toBe('string');
    expect((await app.inject({ url: '/docs' })).statusCode).toBeLessThan(400);
  });

  test('Swagger UI keeps the token given to Authorize across a reload', async () => {
    const app = await facade();
    const initializer = await app.inject({ url: '/docs/static/swagger-initializer.js' });
    expect(initializer.statusCode).toBe(200);
    expect(initializer.body).toMatch(/"persistAuthorization":\s*true/);
  });

  test('request logs carry no authorization header, password or card', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const app = await facade({ logger: { level: 'info', stream } });
    app.post('/login', { config: { access: 'public' } }, async (request) => {
      request.log.info({ body: request.body }, 'login');
      return {};
    });
    await app.inject({
      method: 'POST',
      url: '/login',
      headers: { authorization: 'Bearer secret-token' },
      payload: { password: 'hunter22', card: '4242424242424242', token: 'tok_1' },
    });
    const text = lines.join('\n');
    expect(text).toContain('[redacted]');
    expect(text).not.toMatch(/secret-token|hunter22|4242424242424242|tok_1/);
  });
});
