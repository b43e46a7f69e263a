// Prometheus metrics of a service's workers, with prom-client. A container records into them
// only when given them (ContainerOptions.metrics): without, nothing is measured at all.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, register as defaultRegistry } from 'prom-client';
import type { ServiceContainer, WorkerOutcome } from './container';
import type { Entrypoint } from './extensions';
import { RpcClientMetrics } from './rpc-client-metrics';
import { workerKind, workerResult } from './worker-kind';

export type { WorkerKind, WorkerResult } from './worker-kind';

// prom-client refuses to register a metric name twice in one registry, and several containers
// (apps/platform hosts four) record into one: so there is one ServiceMetrics per registry.
const byRegistry = new WeakMap<Registry, ServiceMetrics>();

/**
 * The workers' metrics in one registry, shared by every container recording into it; the
 * `service` label keeps them apart. Get it with `ServiceMetrics.in(registry)`.
 */
export class ServiceMetrics {
  readonly workers: Counter<'service' | 'entrypoint' | 'kind' | 'outcome'>;
  readonly workerDuration: Histogram<'service' | 'entrypoint' | 'kind'>;
  /** Events published, by the service that dispatched them and their type (the outbox's too). */
  readonly eventsDispatched: Counter<'service' | 'type'>;
  /** Events whose handler failed and that wait for another attempt, by handler and event. */
  readonly eventsRetried: Counter<'service' | 'handler' | 'source' | 'type'>;
  /** Events given up on, moved to their dead-letter queue, by handler and event. */
  readonly eventsDeadLettered: Counter<'service' | 'handler' | 'source' | 'type'>;
  readonly reconnections: Counter<'service'>;
  private readonly containers = new Set<ServiceContainer>();
  private readonly scraped = new Map<string, Set<ScrapeReader>>();

  /** The metrics of this registry (default: prom-client's global one), created on first use. */
  static in(registry: Registry = defaultRegistry): ServiceMetrics {
    let found = byRegistry.get(registry);
    if (!found) {
      found = new ServiceMetrics(registry);
      byRegistry.set(registry, found);
    }
    return found;
  }

  private constructor(readonly registry: Registry) {
    this.workers = new Counter({
      name: 'shimeji_worker_total',
      help: 'Workers finished, by service, entrypoint, kind (rpc, event, timer) and outcome (ok, expected_error, error)',
      labelNames: ['service', 'entrypoint', 'kind', 'outcome'],
      registers: [registry],
    });
    this.workerDuration = new Histogram({
      name: 'shimeji_worker_duration_seconds',
      help: 'How long a worker ran, from its dependencies being injected to its teardown (the reply sent)',
      labelNames: ['service', 'entrypoint', 'kind'],
      registers: [registry],
    });
    const eventLabels = ['service', 'handler', 'source', 'type'] as const;
    this.eventsDispatched = new Counter({ name: 'shimeji_events_dispatched_total', help: 'Events published, by dispatching service and type', labelNames: ['service', 'type'], registers: [registry] });
    this.eventsRetried = new Counter({ name: 'shimeji_events_retried_total', help: 'Events whose handler failed, sent back for another attempt', labelNames: eventLabels, registers: [registry] });
    this.eventsDeadLettered = new Counter({ name: 'shimeji_events_dead_lettered_total', help: 'Events given up on and dead-lettered, with the reason in their headers', labelNames: eventLabels, registers: [registry] });
    this.reconnections = new Counter({ name: 'shimeji_broker_reconnections_total', help: 'Connections to the broker lost and made again, by service', labelNames: ['service'], registers: [registry] });
    const containers = this.containers;
    new Gauge({
      name: 'shimeji_workers_in_flight',
      help: 'Workers running now, by service',
      labelNames: ['service'],
      registers: [registry],
      // Read at scrape time from the containers themselves: nothing to count per call.
      collect() {
        this.reset();
        for (const container of containers) this.inc({ service: container.serviceName }, container.workersInFlight);
      },
    });
    new Gauge({
      name: 'shimeji_workers_max',
      help: 'Workers a service runs at most at once (maxWorkers)',
      labelNames: ['service'],
      registers: [registry],
      collect() {
        this.reset();
        for (const container of containers) this.set({ service: container.serviceName }, container.maxWorkers);
      },
    });
  }

  /**
   * A gauge read when Prometheus scrapes (outbox rows waiting, connections in use), for
   * extensions to report what they hold: each reader gives its samples; returns a function that
   * removes the reader. Readers of one name share one gauge, so give them the same help and labels.
   */
  readAtScrape(name: string, help: string, labelNames: readonly string[], read: ScrapeReader): () => void {
    let readers = this.scraped.get(name);
    if (!readers) {
      const all = new Set<ScrapeReader>();
      readers = all;
      this.scraped.set(name, all);
      new Gauge({
        name,
        help,
        labelNames,
        registers: [this.registry],
        async collect() {
          this.reset();
          const samples = await Promise.all([...all].map((reader) => Promise.resolve(reader()).catch(() => [])));
          for (const { labels, value } of samples.flat()) this.set(labels, value);
        },
      });
    }
    readers.add(read);
    return () => readers.delete(read);
  }

  /** Records every worker of the container from now on; returns a function that stops it. */
  instrument(container: ServiceContainer): () => void {
    this.containers.add(container);
    const remove = container.onWorkerFinished((outcome) => this.record(outcome));
    // The container's calls to other services, timed on its side.
    const stopCalls = RpcClientMetrics.in(this.registry).start();
    const stopReconnections = container.transport.onReconnected?.(() => this.reconnections.inc({ service: container.serviceName }));
    return () => {
      remove();
      stopCalls();
      stopReconnections?.();
      this.containers.delete(container);
    };
  }

  private record({ ctx, error, startedAt }: WorkerOutcome): void {
    const entrypoint = ctx.entrypoint as Entrypoint;
    const kind = workerKind(entrypoint);
    const labels = { service: ctx.serviceName, entrypoint: ctx.methodName, kind };
    const outcome = workerResult(entrypoint, error);
    this.workers.inc({ ...labels, outcome });
    this.workerDuration.observe(labels, (performance.now() - startedAt) / 1000);
  }
}

/** One sample of a gauge read at scrape time. */
export interface ScrapeSample {
  labels: Record<string, string>;
  value: number;
}
export type ScrapeReader = () => ScrapeSample[] | Promise<ScrapeSample[]>;

let processRegistry: Registry | undefined;

/**
 * prom-client's default metrics (CPU, memory, event loop, GC) in a registry of their own,
 * collected once per process however many containers and facades it hosts.
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** The text a scrape gets: the registry's metrics and, unless it has its own, the process's. */
export async function metricsText(registry: Registry): Promise<string> {
  // A registry someone already gave the default metrics would clash with ours when merged.
  const hasProcessMetrics = registry.getSingleMetric('process_cpu_user_seconds_total') !== undefined;
  const merged = hasProcessMetrics || registry === processMetrics() ? registry : Registry.merge([registry, processMetrics()]);
  return merged.metrics();
}

/** The Content-Type of `metricsText` (Prometheus text format 0.0.4). */
export const METRICS_CONTENT_TYPE = defaultRegistry.contentType;
