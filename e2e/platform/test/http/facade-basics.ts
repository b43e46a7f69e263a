// What every facade answers besides its routes: /health and /ready, security headers, the request
// id echoed, the one error shape for an unknown route, and an OpenAPI document listing exactly
// `routes` (so a route added to a facade fails its suite until the suite covers it).
import type { FacadeClient } from './client';

export async function expectFacadeBasics(facade: FacadeClient, requestId: string, routes: string[]): Promise<void> {
  expect(await facade.get('/health')).toMatchObject({ status: 200, body: { status: 'alive' } });
  expect(await facade.get('/ready')).toMatchObject({ status: 200, body: { status: 'ready' } });
  const docs = await facade.get('/docs/json');
  expect(docs.status).toBe(200);
  const documented = Object.entries(docs.body.paths as Record<string, object>).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );
  expect(documented.sort()).toEqual([...routes].sort());
  expect(docs.headers.get('x-content-type-options')).toBe('nosniff');
  expect(docs.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  const unknown = await facade.request('GET', '/nowhere', { headers: { 'x-request-id': requestId } });
  expect(unknown.status).toBe(404);
  expect(unknown.body).toEqual({ error: 'NOT_FOUND', message: expect.any(String), details: [] });
  expect(unknown.headers.get('x-request-id')).toBe(requestId);
}
