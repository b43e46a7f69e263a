// Factories that remember what they made and clean it up after each test (registered with the
// test framework's `afterEach` when there is one), so no test leaves a container running.
import { randomUUID } from 'node:crypto';
import type { ServiceConfig } from '../config';
import { type ContainerOptions, ServiceContainer } from '../container';
import { ServiceRunner } from '../runner';
import type { ServiceClass } from '../service-definition';
import { ClusterRpcClient, type ClusterRpcClientOptions } from '../standalone/cluster-rpc-client';

declare const afterEach: ((fn: () => Promise<void>) => void) | undefined;

const STOP_GRACE_MS = 5000;

async function stopOrKill(target: { stop(): Promise<void>; kill(): Promise<void> }): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), STOP_GRACE_MS)));
  const outcome = await Promise.race([target.stop().then(() => 'stopped' as const), timedOut]).catch(() => 'failed' as const);
  clearTimeout(timer);
  if (outcome !== 'stopped') await target.kill().catch(() => undefined);
}

interface Cleanable {
  cleanup(): Promise<void>;
}

function registerCleanup(cleanable: Cleanable): void {
  if (typeof afterEach === 'function') afterEach(() => cleanable.cleanup());
}

/** A broker URI for tests: the run's RabbitMQ vhost, or with `memory`, a fresh in-memory broker. */
export function testBrokerUri(kind: 'amqp' | 'memory' = 'amqp'): string {
  if (kind === 'memory') return `memory://test-${randomUUID()}`;
  // The jest setup found no broker: say so now, not after a hook's timeout.
  if (process.env.TEST_AMQP_UNREACHABLE) throw new Error(process.env.TEST_AMQP_UNREACHABLE);
  return process.env.TEST_AMQP_URI ?? process.env.AMQP_URI ?? 'amqp://guest:guest@127.0.0.1:5672';
}

export type ContainerFactory = ((serviceClass: ServiceClass, config?: ServiceConfig, options?: ContainerOptions) => ServiceContainer) &
  Cleanable;

export function containerFactory(baseConfig: ServiceConfig = {}): ContainerFactory {
  const made: ServiceContainer[] = [];
  const factory = ((serviceClass: ServiceClass, config: ServiceConfig = {}, options: ContainerOptions = {}) => {
    const container = new ServiceContainer(serviceClass, { logLevel: 'silent', ...baseConfig, ...config }, options);
    made.push(container);
    return container;
  }) as ContainerFactory;
  factory.cleanup = async () => {
    await Promise.all(made.splice(0).map(stopOrKill));
  };
  registerCleanup(factory);
  return factory;
}

export type RunnerFactory = ((config: ServiceConfig, ...services: ServiceClass[]) => ServiceRunner) & Cleanable;

export function runnerFactory(baseConfig: ServiceConfig = {}): RunnerFactory {
  const made: ServiceRunner[] = [];
  const factory = ((config: ServiceConfig, ...services: ServiceClass[]) => {
    const runner = new ServiceRunner({ logLevel: 'silent', ...baseConfig, ...config });
    for (const cls of services) runner.addService(cls);
    made.push(runner);
    return runner;
  }) as RunnerFactory;
  factory.cleanup = async () => {
    await Promise.all(made.splice(0).map(stopOrKill));
  };
  registerCleanup(factory);
  return factory;
}

export type RpcClientFactory = ((options?: ClusterRpcClientOptions) => Promise<ClusterRpcClient>) & Cleanable;

export function rpcClientFactory(baseOptions: ClusterRpcClientOptions = {}): RpcClientFactory {
  const made: ClusterRpcClient[] = [];
  const factory = (async (options: ClusterRpcClientOptions = {}) => {
    const client = await ClusterRpcClient.connect({ ...baseOptions, ...options });
    made.push(client);
    return client;
  }) as RpcClientFactory;
  factory.cleanup = async () => {
    await Promise.allSettled(made.splice(0).map((c) => c.close()));
  };
  registerCleanup(factory);
  return factory;
}
