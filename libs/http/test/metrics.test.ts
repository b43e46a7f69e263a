import { z } from 'zod';
import { type FacadeOptions, httpErrors } from '../src';
import { testFacade } from './support/test-facade';


async function facade(options: Partial<FacadeOptions> = {}) {
  const app = await testFacade(options);
  app.get('/projects/:projectId', { config: { access: 'public' }, schema: { params: z.object({ projectId: z.string() }) } }, async (request) => {
    if (request.params.projectId === 'gone') throw new httpErrors.NotFound('no such project');
    return { id: request.params.projectId };
  });
  app.get('/private', { config: { access: ['admin'] } }, async () => ({}));
  await app.ready();
  return app;
}

/** The duration histogram's `_count` lines of a scrape, without the `le` buckets. */
function requestCounts(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith('http_request_duration_seconds_count'));
}

describe('facade metrics', () => {
  test('GET /metrics answers in the Prometheus text format, with the process metrics, and needs no token', async () => {
    const app = await facade();
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain('# TYPE http_request_duration_seconds histogram');
    expect(res.body).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(res.body).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
  });

  test('a request is counted under its route pattern, method and status, never its URL', async () => {
    const app = await facade();
    await app.inject({ url: '/projects/p1' });
    await app.inject({ url: '/projects/p2' });
    await app.inject({ url: '/projects/gone' });
    await app.inject({ url: '/private' });
    const text = (await app.inject({ url: '/metrics' })).body;
    expect(requestCounts(text)).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/projects/:projectId",status_code="200"} 2',
      'http_request_duration_seconds_count{method="GET",route="/projects/:projectId",status_code="404"} 1',
      'http_request_duration_seconds_count{method="GET",route="/private",status_code="401"} 1',
    ]);
    expect(text).not.toContain('/projects/p1');
  });

  test('unknown URLs all share one series, so probing cannot grow the metrics', async () => {
    const app = await facade();
    for (const url of ['/wp-admin', '/.env', '/a/b/c?x=1']) await app.inject({ url });
    const text = (await app.inject({ url: '/metrics' })).body;
    expect(requestCounts(text)).toEqual(['http_request_duration_seconds_count{method="GET",route="(unmatched)",status_code="404"} 3']);
    expect(text).not.toContain('wp-admin');
  });

  test('two facades in one process keep their requests apart', async () => {
    const web = await facade({ name: 'web' });
    const admin = await facade({ name: 'admin' });
    await web.inject({ url: '/projects/p1' });
    expect(requestCounts((await web.inject({ url: '/metrics' })).body)).toHaveLength(1);
    expect(requestCounts((await admin.inject({ url: '/metrics' })).body)).toEqual([]);
  });

  test('/metrics is left out of the OpenAPI docs', async () => {
    const app = await facade();
    const paths = Object.keys((await app.inject({ url: '/docs/json' })).json().paths);
    expect(paths).toContain('/projects/{projectId}');
    expect(paths).not.toContain('/metrics');
  });
});
