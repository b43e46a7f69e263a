// Several services in one process, started and stopped together (Nameko's ServiceRunner).
import type { ServiceConfig } from './config';
import { type ContainerOptions, ServiceContainer } from './container';
import type { ServiceClass } from './service-definition';

export class ServiceRunner {
  readonly containers: ServiceContainer[] = [];

  constructor(private readonly config: ServiceConfig = {}, private readonly options: ContainerOptions = {}) {}

  addService(serviceClass: ServiceClass, config: ServiceConfig = this.config): ServiceContainer {
    const container = new ServiceContainer(serviceClass, config, this.options);
    if (this.containers.some((c) => c.serviceName === container.serviceName)) {
      throw new Error(`service ${container.serviceName} is already hosted by this runner`);
    }
    this.containers.push(container);
    return container;
  }

  container(serviceName: string): ServiceContainer | undefined {
    return this.containers.find((c) => c.serviceName === serviceName);
  }

  /** Starts every service; if one fails, those already started are stopped again. */
  async start(): Promise<void> {
    const started: ServiceContainer[] = [];
    try {
      for (const container of this.containers) {
        await container.start();
        started.push(container);
      }
    } catch (error) {
      await Promise.allSettled(started.map((c) => c.stop()));
      await Promise.allSettled(this.containers.filter((c) => !started.includes(c)).map((c) => c.kill()));
      throw error;
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.containers.map((c) => c.stop()));
  }

  async kill(): Promise<void> {
    await Promise.all(this.containers.map((c) => c.kill()));
  }
}
