// How a class becomes a service: `@service(name)` names it, entrypoint decorators mark its
// methods, and `inject(provider)` declares its dependencies as fields. Standard (TC39)
// decorators record all of this in the class's metadata; no reflect-metadata is needed.
import { DependencyProvider, type Entrypoint } from './extensions';

// Node 20 has no Symbol.metadata yet; TypeScript and esbuild both fall back to this symbol.
(Symbol as { metadata?: symbol }).metadata ??= Symbol.for('Symbol.metadata');

const SERVICE = Symbol.for('shimeji.service');

interface EntrypointDeclaration {
  methodName: string;
  /** A fresh entrypoint for each container: extensions hold per-container state. */
  create(): Entrypoint;
}

interface ServiceMetadata {
  name?: string;
  entrypoints: EntrypointDeclaration[];
}

export type ServiceClass<T = object> = new () => T;

export interface ServiceDefinition {
  name: string;
  entrypoints: readonly EntrypointDeclaration[];
}

function metadataOf(metadata: DecoratorMetadataObject): ServiceMetadata {
  // A subclass's metadata inherits from its parent's through the prototype chain: copy, never mutate the parent's.
  if (!Object.prototype.hasOwnProperty.call(metadata, SERVICE)) {
    const inherited = metadata[SERVICE] as ServiceMetadata | undefined;
    metadata[SERVICE] = { name: inherited?.name, entrypoints: [...(inherited?.entrypoints ?? [])] };
  }
  return metadata[SERVICE] as ServiceMetadata;
}

/** Names a service class: `@service('payment') class PaymentService { … }`. */
export function service(name: string) {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) {
    throw new Error(`service name "${name}" may only hold letters, digits, "_" and "-" (it is part of queue names and routing keys)`);
  }
  return (_cls: ServiceClass, context: ClassDecoratorContext): void => {
    metadataOf(context.metadata).name = name;
  };
}

/** Records an entrypoint on the decorated method; the building block of entrypoint decorators. */
export function declareEntrypoint(context: ClassMethodDecoratorContext, create: () => Entrypoint): void {
  if (context.static || context.private) throw new Error('entrypoints must be public instance methods');
  const methodName = String(context.name);
  metadataOf(context.metadata).entrypoints.push({
    methodName,
    create: () => {
      const entrypoint = create();
      entrypoint.methodName = methodName;
      return entrypoint;
    },
  });
}

type MethodDecorator = (value: (...args: any[]) => unknown, context: ClassMethodDecoratorContext) => void;

/**
 * Turns an entrypoint class into a decorator usable bare or with options, like Nameko's
 * `Entrypoint.decorator`: `@rpc` and `@rpc({ expectedExceptions: [NotFound] })`.
 */
export function entrypointDecorator<O>(create: (options?: O) => Entrypoint) {
  function decorator(value: (...args: any[]) => unknown, context: ClassMethodDecoratorContext): void;
  function decorator(options?: O): MethodDecorator;
  function decorator(first?: unknown, context?: ClassMethodDecoratorContext): void | MethodDecorator {
    if (typeof first === 'function' && context?.kind === 'method') {
      declareEntrypoint(context, () => create());
      return;
    }
    return (_value, ctx) => declareEntrypoint(ctx, () => create(first as O | undefined));
  }
  return decorator;
}

/**
 * Declares a dependency: the field holds the provider on the class and, in each worker, the
 * object the provider gives. `users = inject(new RpcProxy<UserApi>('user'))`.
 */
export function inject<T>(provider: DependencyProvider<T>): T {
  return provider as unknown as T;
}

export function getServiceDefinition(cls: ServiceClass): ServiceDefinition {
  const metadata = (cls as { [Symbol.metadata]?: DecoratorMetadataObject })[Symbol.metadata];
  const found = metadata?.[SERVICE] as ServiceMetadata | undefined;
  if (!found?.name) throw new Error(`${cls.name} is not a service: decorate it with @service('<name>')`);
  return { name: found.name, entrypoints: found.entrypoints };
}

/** The providers a service class declares, by field name, read from a fresh instance. */
export function findDependencyProviders(instance: object): Map<string, DependencyProvider> {
  const found = new Map<string, DependencyProvider>();
  for (const [attr, value] of Object.entries(instance)) {
    if (value instanceof DependencyProvider) found.set(attr, value);
  }
  return found;
}
