import { findDependencyProviders, getServiceDefinition, type ServiceClass } from '../service-definition';
import { createFake } from './fake';

/**
 * A worker of the service with every dependency replaced: by the object given in `overrides`
 * or else by a recording fake. Call its methods directly in unit tests, no broker needed.
 *
 *   const worker = workerFactory(PaymentService, { db: fakeDb });
 *   await worker.payOrder(1);
 */
export function workerFactory<T extends object>(serviceClass: ServiceClass<T>, overrides: Partial<Record<keyof T, unknown>> = {}): T {
  getServiceDefinition(serviceClass);
  const worker = new serviceClass() as Record<string, unknown>;
  for (const attr of findDependencyProviders(worker).keys()) {
    worker[attr] = attr in overrides ? (overrides as Record<string, unknown>)[attr] : createFake(attr);
  }
  // Declared arguments are checked as the framework checks them before a worker runs, so a unit
  // test sees the same BadRequest a caller would.
  for (const { methodName, create } of getServiceDefinition(serviceClass).entrypoints) {
    const declared = create().options.args;
    const method = worker[methodName] as ((...args: unknown[]) => unknown) | undefined;
    if (!declared || typeof method !== 'function') continue;
    worker[methodName] = async (...args: unknown[]) => method.apply(worker, declared.parse(args));
  }
  return worker as T;
}
