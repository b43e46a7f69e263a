// A server span per HTTP request, when the process traces (see @platform/shimeji/tracing). The
// span is made active for the route's handler, so its RPC calls are client spans under it and
// the services' workers continue the same trace.
import { markFailed, startHttpServerSpan, tracingEnabled, withContext } from '@platform/shimeji/tracing';
import type { FastifyInstance, FastifyRequest } from 'fastify';

type Traced = ReturnType<typeof startHttpServerSpan>;
const requestSpans = new WeakMap<FastifyRequest, NonNullable<Traced>>();

export function installTracing(app: FastifyInstance): void {
  if (!tracingEnabled()) return;
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url ?? request.url.split('?')[0];
    const traced = startHttpServerSpan(`${request.method} ${route}`, request.headers, {
      'http.request.method': request.method,
      'http.route': route,
      'url.path': request.url.split('?')[0],
      'shimeji.request_id': request.id,
    });
    if (!traced) return done();
    requestSpans.set(request, traced);
    withContext(traced.context, done);
  });
  // The body is read between onRequest and here, outside any context: enter the span again.
  app.addHook('preHandler', (request, _reply, done) => {
    const traced = requestSpans.get(request);
    if (!traced) return done();
    withContext(traced.context, done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const traced = requestSpans.get(request);
    if (traced) {
      traced.span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) markFailed(traced.span, `HTTP ${reply.statusCode}`);
      traced.span.end();
      requestSpans.delete(request);
    }
    done();
  });
}
