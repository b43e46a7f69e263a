// Helpers that act on a container: call its entrypoints, wait for them, swap dependencies.
import type { ServiceContainer, WorkerOutcome } from '../container';
import { DependencyProvider, type Entrypoint } from '../extensions';
import type { ContextData } from '../worker-context';
import { createFake } from './fake';

function findEntrypoint(container: ServiceContainer, methodName: string): Entrypoint {
  const found = container.entrypoints.find((e) => e.methodName === methodName);
  if (!found) throw new Error(`${container.serviceName} has no entrypoint ${methodName}`);
  return found;
}

/**
 * Runs an entrypoint's method in a worker of a running container, with its real (or replaced)
 * dependencies, and returns what it returns or throws what it throws.
 *
 *   const payOrder = entrypointHook(container, 'payOrder', { user_id: 'u-1' });
 *   expect(await payOrder(1)).toEqual(…);
 */
export function entrypointHook(container: ServiceContainer, methodName: string, contextData: ContextData = {}) {
  const entrypoint = findEntrypoint(container, methodName);
  return async (...args: unknown[]): Promise<unknown> => {
    if (!container.isRunning) throw new Error(`start the ${container.serviceName} container before calling its entrypoints`);
    const { result, error } = await container.spawnWorker(entrypoint, args, { data: contextData });
    if (error !== undefined) throw error;
    return result;
  };
}

/**
 * Resolves with the outcome of the next worker of `methodName` that completes (optionally: the
 * first one `predicate` accepts); rejects after `timeoutMs`. Start waiting before the trigger:
 *
 *   const done = entrypointWaiter(container, 'onPaymentTaken');
 *   await dispatch(…);
 *   const { result } = await done;
 */
export function entrypointWaiter(
  container: ServiceContainer,
  methodName: string,
  options: { timeoutMs?: number; predicate?: (outcome: WorkerOutcome) => boolean } = {},
): Promise<WorkerOutcome> {
  findEntrypoint(container, methodName);
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      remove();
      reject(new Error(`no ${container.serviceName}.${methodName} worker finished within ${timeoutMs} ms`));
    }, timeoutMs);
    const remove = container.onWorkerFinished((outcome) => {
      if (outcome.ctx.methodName !== methodName || (options.predicate && !options.predicate(outcome))) return;
      clearTimeout(timer);
      remove();
      resolve(outcome);
    });
  });
}

class ReplacementProvider extends DependencyProvider {
  constructor(private readonly value: unknown) {
    super();
  }

  getDependency(): unknown {
    return this.value;
  }
}

/**
 * Before start: replaces the named dependencies of a container, each with the given object or
 * with a recording fake, and returns the replacements by name.
 *
 *   const { payment } = replaceDependencies(container, 'payment');
 *   const { db } = replaceDependencies(container, { db: fakeDb });
 */
export function replaceDependencies(
  container: ServiceContainer,
  ...what: (string | Record<string, unknown>)[]
): Record<string, any> {
  if (container.isRunning) throw new Error('replace dependencies before the container starts');
  const replacements: Record<string, unknown> = {};
  for (const item of what) {
    const entries: [string, unknown][] = typeof item === 'string' ? [[item, createFake(item)]] : Object.entries(item);
    for (const [attr, value] of entries) {
      if (!container.dependencies.has(attr)) throw new Error(`${container.serviceName} has no dependency ${attr}`);
      const provider = new ReplacementProvider(value);
      provider.attrName = attr;
      container.dependencies.set(attr, provider);
      replacements[attr] = value;
    }
  }
  return replacements;
}

/** Before start: keeps only the named entrypoints, so a test controls what the container receives. */
export function restrictEntrypoints(container: ServiceContainer, ...methodNames: string[]): void {
  if (container.isRunning) throw new Error('restrict entrypoints before the container starts');
  for (const name of methodNames) findEntrypoint(container, name);
  const kept = container.entrypoints.filter((e) => methodNames.includes(e.methodName));
  container.entrypoints.splice(0, container.entrypoints.length, ...kept);
}
