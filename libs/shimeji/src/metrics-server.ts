// Serving a registry's metrics over HTTP for Prometheus to scrape: a handler to mount on a server
// of one's own, or a small server of its own (what a ServiceRunner with METRICS_PORT starts),
// which also says whether the process is alive (`GET /health`) and its services ready to serve
// (`GET /ready`: each container running and connected to its broker), for a load balancer, an
// orchestrator's probes or docker-compose's healthcheck.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { METRICS_CONTENT_TYPE, metricsText } from './metrics';

/** Config keys of the metrics server: `METRICS_PORT` (absent, empty or `off`: no server), `METRICS_HOST`. */
export const METRICS_CONFIG_KEYS = { port: 'METRICS_PORT', host: 'METRICS_HOST' } as const;

/** Bound to the loopback unless told otherwise: metrics say much about a process. */
export const DEFAULT_METRICS_HOST = '127.0.0.1';

/** What keeps each service of the process from serving now, by name: an empty list when it can. */
export type Readiness = () => Promise<Record<string, string[]>>;

const json = (response: ServerResponse, status: number, body: unknown) =>
  response.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);

/**
 * A node:http handler answering `GET /metrics` with the registry's metrics and, given how ready the
 * services are, `GET /health` (200 while the process runs) and `GET /ready` (200 when every service
 * is, else 503 naming those that are not); 404 elsewhere.
 */
export function metricsHandler(registry: Registry, readiness?: Readiness): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method === 'GET' && readiness && path === '/health') return json(response, 200, { status: 'alive' });
    if (request.method === 'GET' && readiness && path === '/ready') {
      readiness().then(
        (problems) => {
          const services = Object.fromEntries(Object.entries(problems).map(([name, found]) => [name, found.length === 0]));
          const unhealthy = Object.fromEntries(Object.entries(problems).filter(([, found]) => found.length > 0));
          if (Object.keys(unhealthy).length === 0) return json(response, 200, { status: 'ready', services });
          return json(response, 503, { status: 'not ready', services, unhealthy });
        },
        (error: Error) => json(response, 503, { status: 'not ready', error: error.message }),
      );
      return;
    }
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: metrics are at GET /metrics${readiness ? ', health at /health and /ready' : ''}\n`);
      return;
    }
    metricsText(registry).then(
      (text) => response.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text),
      (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${error.message}\n`),
    );
  };
}

export interface MetricsServer {
  /** The port it listens on (the one chosen when asked for 0). */
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on host:port and serves `GET /metrics` (and `/health`, `/ready` given the readiness). */
export async function startMetricsServer(registry: Registry, port: number, host = DEFAULT_METRICS_HOST, readiness?: Readiness): Promise<MetricsServer> {
  const server = createServer(metricsHandler(registry, readiness));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A scraper's keep-alive connection must not hold the stop up.
        server.closeAllConnections();
      }),
  };
}

/** `METRICS_PORT` from a config: undefined when off; a wrong value is an error naming it. */
export function metricsPortOf(config: Readonly<Record<string, unknown>>): number | undefined {
  const raw = config[METRICS_CONFIG_KEYS.port];
  if (raw === undefined || raw === null || raw === '' || raw === 'off') return undefined;
  const port = typeof raw === 'number' ? raw : /^\d+$/.test(String(raw).trim()) ? Number(String(raw).trim()) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${METRICS_CONFIG_KEYS.port} is ${JSON.stringify(raw)}: expected a port number, 0 to 65535, or off`);
  }
  return port;
}

/** `METRICS_HOST` from a config, else the loopback. */
export function metricsHostOf(config: Readonly<Record<string, unknown>>): string {
  const raw = config[METRICS_CONFIG_KEYS.host];
  return typeof raw === 'string' && raw !== '' ? raw : DEFAULT_METRICS_HOST;
}
