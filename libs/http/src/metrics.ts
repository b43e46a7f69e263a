// Prometheus metrics of a facade, with prom-client: how long each request took, by method,
// route pattern and status, served with the process's metrics at GET /metrics.
import { METRICS_CONTENT_TYPE, metricsText } from '@platform/shimeji';
import { RpcClientMetrics } from '@platform/shimeji/rpc-client-metrics';
import type { FastifyInstance } from 'fastify';
import { Histogram, Registry } from 'prom-client';

export const METRICS_PATH = '/metrics';

/** The route label of a request that matched no route: one series, whatever the URL. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * Times every request into `registry` (default: one of the facade's own, so that facades in
 * one process never clash) and answers `GET /metrics`, public and left out of the docs.
 */
export function installMetrics(app: FastifyInstance, registry: Registry = new Registry()): Registry {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'How long requests took, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The pattern (/projects/:projectId), never the URL: one series per route, not per id.
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    duration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  // The facade's calls to the services, timed on its side, until it closes.
  const stopCalls = RpcClientMetrics.in(registry).start();
  app.addHook('onClose', async () => stopCalls());
  // Process metrics (CPU, memory, event loop) come from shimeji's one registry per process.
  app.get(METRICS_PATH, { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.type(METRICS_CONTENT_TYPE).send(await metricsText(registry)),
  );
  return registry;
}
