// Errors that cross the wire, in Nameko's form `{exc_type, exc_path, exc_args, value}`.
// A caller gets back an instance of the class it registered for `exc_path`, or a RemoteError.

/** The JSON form of an error in an RPC reply. */
export interface WireError {
  exc_type: string;
  exc_path: string;
  exc_args: unknown[];
  value: string;
}

export type ErrorClass = new (...args: any[]) => Error;

/** Base of the framework's own errors; `excPath` is the name they travel under. */
export class ShimejiError extends Error {
  static excPath?: string;
  readonly args: unknown[];

  constructor(message: string, args: unknown[] = [message]) {
    super(message);
    this.name = new.target.name;
    this.args = args;
  }
}

export class MethodNotFound extends ShimejiError {
  static override excPath = 'nameko.exceptions.MethodNotFound';
}

export class MalformedRequest extends ShimejiError {
  static override excPath = 'nameko.exceptions.MalformedRequest';
}

/** The arguments do not fit the method's signature; checked before a worker runs. */
export class IncorrectSignature extends ShimejiError {
  static override excPath = 'nameko.exceptions.IncorrectSignature';
}

export class UnserializableValueError extends ShimejiError {
  static override excPath = 'nameko.exceptions.UnserializableValueError';
  constructor(message: string) {
    super(message, []);
  }
}

/** No queue is bound for the service: raised at once by the caller, nothing waits for a reply. */
export class UnknownService extends ShimejiError {
  static override excPath = 'nameko.exceptions.UnknownService';
  constructor(readonly serviceName: string) {
    super(`Unknown service \`${serviceName}\``, [serviceName]);
  }
}

/** No reply arrived within the call's timeout. */
export class RpcTimeout extends ShimejiError {
  static override excPath = 'shimeji.exceptions.RpcTimeout';
  constructor(readonly service: string, readonly method: string, readonly timeoutMs: number) {
    super(`${service}.${method} did not reply within ${timeoutMs} ms`);
  }
}

/** The container is stopping and accepts no new work; the message goes back to the queue. */
export class ContainerStopping extends ShimejiError {
  static override excPath = 'shimeji.exceptions.ContainerStopping';
}

/**
 * Thrown by a dependency's `workerSetup` to have the worker not run, successfully: e.g. an
 * event this service has already processed. The message is acknowledged; nothing is logged as an error.
 */
export class WorkerSkipped extends ShimejiError {
  static override excPath = 'shimeji.exceptions.WorkerSkipped';
}

/**
 * Thrown by a dependency's `workerSetup` to answer for the worker, which then does not run: the
 * outcome recorded the first time an idempotent call was made (libs/db) is given again, a result
 * or the error as it travelled then.
 */
export class WorkerAnswered extends WorkerSkipped {
  constructor(readonly outcome: { result: unknown } | { error: WireError }) {
    super('answered with the outcome recorded for this call');
  }
}

/** An error given again exactly as it travelled the first time (see WorkerAnswered). */
export class ReplayedError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.value);
  }
}

/**
 * An idempotency key used again for another request: the same key must come with the same
 * arguments (Stripe's rule). Facades answer it 422, naming the key.
 */
export class IdempotencyKeyReused extends ShimejiError {
  static override excPath = 'shimeji.exceptions.IdempotencyKeyReused';
}

/** The broker connection was lost before the call completed. */
/**
 * The call carries no access token this service trusts: none, expired, signed with a key it does
 * not know, or minted for an audience it does not serve. Checked before any worker runs.
 */
export class NotAuthorized extends ShimejiError {
  static override excPath = 'shimeji.exceptions.NotAuthorized';
}

/** The token's caller may not make this call: not one of the roles allowed, or acting for someone else. */
export class Forbidden extends ShimejiError {
  static override excPath = 'shimeji.exceptions.Forbidden';
}

export class ConnectionLost extends ShimejiError {
  static override excPath = 'shimeji.exceptions.ConnectionLost';
}

/** An error whose type the caller did not register. */
export class RemoteError extends Error {
  readonly excType: string;
  readonly excPath: string;
  readonly excArgs: unknown[];
  readonly value: string;

  constructor(wire: WireError) {
    super(`${wire.exc_type} ${wire.value}`);
    this.name = 'RemoteError';
    this.excType = wire.exc_type;
    this.excPath = wire.exc_path;
    this.excArgs = wire.exc_args;
    this.value = wire.value;
  }
}

const BUILT_INS: ErrorClass[] = [MethodNotFound, MalformedRequest, IncorrectSignature, UnknownService, IdempotencyKeyReused, NotAuthorized, Forbidden];

/**
 * Which remote error paths a caller turns back into its own classes. Each caller (a facade, a
 * service's RpcProxy) can keep its own: it declares the errors it consumes.
 */
/** One problem with one field of a call's input: `{ field: 'email', message: 'Invalid email address' }`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * An error that names the fields at fault; it travels with `exc_args = [message, details]`.
 * Services base their BadRequest on it, and a caller registers it for a remote BadRequest, so
 * a facade can show which field was wrong and why.
 */
export class InvalidArguments extends Error {
  readonly args: unknown[];

  constructor(message: string, readonly details: FieldProblem[] = []) {
    super(message);
    this.args = [message, details];
  }
}

export class ErrorRegistry {
  private readonly classes = new Map<string, ErrorClass>();

  constructor() {
    for (const cls of BUILT_INS) this.register(pathOf(cls), cls);
  }

  register(excPath: string, cls: ErrorClass): this {
    this.classes.set(excPath, cls);
    return this;
  }

  /**
   * Registers a service's errors by their names: `registerService('payment', { NotFound })` is
   * `register('payment.exceptions.NotFound', NotFound)`, Nameko's path for a service's
   * `exceptions` module.
   */
  registerService(serviceName: string, classes: Record<string, ErrorClass>): this {
    for (const [name, cls] of Object.entries(classes)) this.register(`${serviceName}.exceptions.${name}`, cls);
    return this;
  }

  lookup(excPath: string): ErrorClass | undefined {
    return this.classes.get(excPath);
  }

  /** Every path registered, the built-ins included: what this caller says it can meet. */
  paths(): string[] {
    return [...this.classes.keys()];
  }
}

export const defaultErrorRegistry = new ErrorRegistry();

/**
 * Class decorator that registers a caller-side class for a remote error path:
 * `@remoteError('payment.exceptions.NotFound') class NotFound extends Error {}`.
 */
export function remoteError(excPath: string, registry: ErrorRegistry = defaultErrorRegistry) {
  return <C extends ErrorClass>(cls: C, _context?: ClassDecoratorContext): C => {
    registry.register(excPath, cls);
    return cls;
  };
}

function pathOf(cls: ErrorClass): string {
  return (cls as { excPath?: string }).excPath ?? cls.name;
}

/**
 * The path an error travels under: the class's own `excPath` if it declares one, otherwise
 * `<service>.exceptions.<ClassName>`, the seeds' convention for a service's error contract.
 */
function excPathOf(error: Error, serviceName: string): string {
  const declared = (error.constructor as { excPath?: string }).excPath;
  return declared ?? `${serviceName}.exceptions.${error.constructor.name}`;
}

/** Non-string scalars are sent as strings, as Nameko's safe_for_serialization does. */
export function safeForSerialization(value: unknown): unknown {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(safeForSerialization);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, safeForSerialization(v)]));
  }
  return String(value);
}

export function serializeError(error: unknown, serviceName: string): WireError {
  if (error instanceof ReplayedError) return error.wire;
  if (!(error instanceof Error)) {
    return { exc_type: 'Error', exc_path: 'Error', exc_args: [safeForSerialization(error)], value: String(error) };
  }
  const own = (error as { args?: unknown }).args;
  const args = Array.isArray(own) ? own : [error.message];
  return {
    exc_type: error.constructor.name,
    exc_path: excPathOf(error, serviceName),
    exc_args: args.map(safeForSerialization),
    value: error.message,
  };
}

export function isWireError(value: unknown): value is WireError {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.exc_type === 'string' && typeof v.exc_path === 'string';
}

export function deserializeError(wire: WireError, registry: ErrorRegistry = defaultErrorRegistry): Error {
  const cls = registry.lookup(wire.exc_path);
  if (!cls) return new RemoteError(wire);
  const args = Array.isArray(wire.exc_args) ? wire.exc_args : [wire.value];
  const error = new cls(...args);
  if (!error.message && wire.value) error.message = wire.value;
  return error;
}
