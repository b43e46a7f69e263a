// Several services in one process, started and stopped together (Nameko's ServiceRunner).
import type { ServiceConfig } from './config';
import { type ContainerOptions, ServiceContainer } from './container';
import { flushErrorReports, reportErrors, startErrorReporting } from './error-reporting';
import { ServiceMetrics } from './metrics';
import { type MetricsServer, metricsHostOf, metricsPortOf, startMetricsServer } from './metrics-server';
import type { ServiceClass } from './service-definition';

export class ServiceRunner {
  readonly containers: ServiceContainer[] = [];
  private readonly metricsPort: number | undefined;
  private metricsServer: MetricsServer | undefined;

  constructor(private readonly config: ServiceConfig = {}, private readonly options: ContainerOptions = {}) {
    // With METRICS_PORT the containers record into the given metrics, else the default registry's.
    this.metricsPort = metricsPortOf(config);
    if (this.metricsPort !== undefined && !options.metrics) this.options = { ...options, metrics: ServiceMetrics.in() };
    // SENTRY_DSN from the config or the environment: unexpected worker errors go to Sentry.
    startErrorReporting({ ...process.env, ...sentrySettings(config) });
  }

  /** Where the metrics are served (`METRICS_PORT`), once started; undefined without. */
  get metricsUrl(): string | undefined {
    return this.metricsServer && `http://${metricsHostOf(this.config)}:${this.metricsServer.port}/metrics`;
  }

  addService(serviceClass: ServiceClass, config: ServiceConfig = this.config): ServiceContainer {
    const container = new ServiceContainer(serviceClass, config, this.options);
    if (this.containers.some((c) => c.serviceName === container.serviceName)) {
      throw new Error(`service ${container.serviceName} is already hosted by this runner`);
    }
    this.containers.push(container);
    reportErrors(container);
    return container;
  }

  /** What keeps each service from serving (what `GET /ready` answers): empty lists when all are ready. */
  async readiness(): Promise<Record<string, string[]>> {
    const problems = await Promise.all(this.containers.map((c) => c.readinessProblems()));
    return Object.fromEntries(this.containers.map((c, i) => [c.serviceName, problems[i]!]));
  }

  container(serviceName: string): ServiceContainer | undefined {
    return this.containers.find((c) => c.serviceName === serviceName);
  }

  /**
   * Starts every service at once, as Nameko's runner does: their start-up work (connecting,
   * preparing a database) is independent, and one after another it added up. If one fails, those
   * that started are stopped again and the rest killed.
   */
  async start(): Promise<void> {
    const metrics = this.options.metrics;
    if (this.metricsPort !== undefined && metrics) {
      this.metricsServer = await startMetricsServer(metrics.registry, this.metricsPort, metricsHostOf(this.config), () => this.readiness());
    }
    const outcomes = await Promise.allSettled(this.containers.map((container) => container.start()));
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (!failed) return;
    const started = this.containers.filter((_, i) => outcomes[i]!.status === 'fulfilled');
    await Promise.allSettled(started.map((c) => c.stop()));
    await Promise.allSettled(this.containers.filter((c) => !started.includes(c)).map((c) => c.kill()));
    await this.closeMetricsServer();
    throw failed.reason;
  }

  async stop(): Promise<void> {
    await Promise.all(this.containers.map((c) => c.stop()));
    await this.closeMetricsServer();
    await flushErrorReports();
  }

  async kill(): Promise<void> {
    await Promise.all(this.containers.map((c) => c.kill()));
    await this.closeMetricsServer();
  }

  private async closeMetricsServer(): Promise<void> {
    const server = this.metricsServer;
    this.metricsServer = undefined;
    await server?.close();
  }
}

function sentrySettings(config: ServiceConfig): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const key of ['SENTRY_DSN', 'SENTRY_ENVIRONMENT', 'SENTRY_RELEASE']) {
    const value = (config as Record<string, unknown>)[key];
    if (typeof value === 'string' && value !== '') settings[key] = value;
  }
  return settings;
}
