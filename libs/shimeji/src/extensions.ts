// The extension model, as in Nameko. The base classes are the specification: each hook is an
// empty method that says when the container calls it. Users subclass these to write their own
// entrypoints (ways into a service) and dependency providers (what a worker is given).
import type { ServiceContainer } from './container';
import type { WorkerContext } from './worker-context';
import type { EntrypointArguments } from './entrypoint-arguments';
import type { AllowRule } from './access-rules';

export abstract class Extension {
  /** Set by the container before `setup`. */
  container!: ServiceContainer;

  /** Before the container starts: declare what is needed, open nothing that receives work yet. */
  async setup(): Promise<void> {}

  /** When the container has set every extension up: begin acting on the outside world. */
  async start(): Promise<void> {}

  /** When the container begins a graceful stop: finish what is in flight, then let go. */
  async stop(): Promise<void> {}

  /** When the container is killed: stop at once, without grace. */
  async kill(): Promise<void> {}

  /**
   * For the service's readiness (`GET /ready`), while it runs: what this extension leans on that
   * does not answer now, in a word or two (`database`), or undefined when all is well. Keep it
   * quick: an answer slower than the container's readiness timeout counts as a no.
   */
  async unhealthy(): Promise<string | undefined> {
    return undefined;
  }
}

/**
 * Provides the object a worker sees in one of its fields. Declare it on the service class with
 * `inject(provider)`; a new object is given to every worker.
 */
export abstract class DependencyProvider<T = unknown> extends Extension {
  /** The name of the field the dependency is injected into; set by the container. */
  attrName!: string;

  /** Before each worker runs: return the object injected into the worker. */
  abstract getDependency(workerCtx: WorkerContext): T;

  /** Before the worker's method runs, after every dependency was injected. Throwing fails the worker. */
  async workerSetup(_workerCtx: WorkerContext): Promise<void> {}

  /**
   * After the worker's method returned or threw, before the result is handed to the entrypoint
   * (so a reply is sent only after, say, a transaction committed). Throwing turns the result
   * into that error.
   */
  async workerResult(_workerCtx: WorkerContext, _result: unknown, _error: unknown): Promise<void> {}

  /** After the worker completed and its result was handled; always called. */
  async workerTeardown(_workerCtx: WorkerContext): Promise<void> {}
}

/** Options every entrypoint understands. */
export interface EntrypointOptions {
  /**
   * Errors that are part of the method's contract: logged as warnings, not errors, when raised.
   */
  expectedExceptions?: (abstract new (...args: any[]) => Error)[];
  /**
   * The method's arguments, declared once: bound from positional args and kwargs by these names
   * and checked before the worker runs (`argumentsOf` in @platform/schemas). Without it the
   * names are read from the method's source and the values passed as they came.
   */
  args?: EntrypointArguments;
  /**
   * The call may be made again safely: a call with the same idempotency key (context data
   * `idempotency_key`, which facades fill from the `Idempotency-Key` header), or the same request
   * delivered again after a crash, is answered with the first call's outcome instead of running
   * again. It needs a dependency that records outcomes with the call's effects: libs/db's Database.
   */
  idempotent?: boolean;
  /**
   * Who may call it (see AllowRule): checked against the call's verified access token before the
   * worker runs. Once one method of a service declares a rule, or access keys are configured,
   * every `@rpc` of the service must declare one, or the service refuses to start.
   */
  allow?: AllowRule;
}

/** A way into a service: it watches something outside and has the container run a worker. */
export abstract class Entrypoint extends Extension {
  /** The decorated method; set by the container. */
  methodName!: string;

  constructor(readonly options: EntrypointOptions = {}) {
    super();
  }

  /** One line for logs: what this entrypoint serves and from where. */
  describe(): string {
    return `${this.constructor.name} ${this.methodName}`;
  }

  isExpected(error: unknown): boolean {
    return (this.options.expectedExceptions ?? []).some((cls) => error instanceof cls);
  }
}

/**
 * One instance shared by every extension of a container that asks for it by key: the RPC
 * consumer serving all `@rpc` methods, the reply listener serving all RPC proxies.
 */
export abstract class SharedExtension extends Extension {}
