// For property tests: what a FakeRpc answers each call of a generated request with, chosen by
// fast-check: one of the fixtures' plausible replies, or one of the errors the facade declares it
// consumes, raised as a remote raises it (decoded by the facade's own registry from the wire form)
// or as the RPC client itself raises it (a timeout, no such service, the broker gone). Never an
// error the facade does not declare: that one's 500 is the honest "unknown error".
import {
  ConnectionLost,
  deserializeError,
  type ErrorRegistry,
  Forbidden,
  IdempotencyKeyReused,
  InvalidArguments,
  NotAuthorized,
  RpcTimeout,
  UnknownService,
} from '@platform/shimeji';
import fc from 'fast-check';
import type { FakeRpc } from './fake-rpc';

/** A plausible reply: a value (copied for each call), or made from the call's arguments. */
export type Reply = unknown;

/** Per `service.method`, the replies the fake chooses from. */
export type Replies = Readonly<Record<string, readonly Reply[]>>;

type Details = { field: string; message: string }[];

/** How the fake answers the n-th call of a request: its n-th plan (a call past the last gets the first reply). */
export type AnswerPlan = { reply: number } | { error: number; message: string; details: Details };

/**
 * The framework's errors any service raises itself: its access check refused the call. Its other
 * built-ins (MethodNotFound, IncorrectSignature, MalformedRequest) say the facade called wrongly,
 * a bug whose 500 is honest, so they are never raised here.
 */
const FROM_ANY_SERVICE = [Forbidden, NotAuthorized] as const;

/**
 * Plans for one request's calls: mostly replies, so that a route calling several services still
 * reaches its end; shrinking goes towards the first reply of each.
 */
export function answerPlans(): fc.Arbitrary<AnswerPlan[]> {
  const reply = fc.record({ reply: fc.nat() });
  const error = fc.record({
    error: fc.nat(),
    message: fc.string({ maxLength: 40 }),
    details: fc.array(fc.record({ field: fc.string({ maxLength: 12 }), message: fc.string({ maxLength: 20 }) }), { maxLength: 2 }),
  });
  return fc.array(fc.oneof({ weight: 4, arbitrary: reply }, { weight: 1, arbitrary: error }), { maxLength: 6 });
}

/**
 * Answers every `service.method` of `replies` on `rpc` by the plans `use` installs for each
 * request, and tells what it answered, for a failure's report.
 */
export class ExploredAnswers {
  private plans: AnswerPlan[] = [];
  private log: string[] = [];

  constructor(
    private readonly rpc: FakeRpc,
    private readonly replies: Replies,
    private readonly remoteErrors: ErrorRegistry,
  ) {
    for (const [target, choices] of Object.entries(replies)) {
      if (choices.length === 0) throw new Error(`${target} has no replies to choose from: give it at least one`);
      rpc.answer(target, (...args: unknown[]) => this.answer(target, args));
    }
  }

  /** Starts a request: these plans, no calls yet. */
  use(plans: AnswerPlan[]): void {
    this.plans = [...plans];
    this.log = [];
    this.rpc.calls.length = 0;
  }

  /** What each call of the request was answered with, in order; a call the fake had no reply for is named as such. */
  answered(): string[] {
    const lines = [...this.log];
    return this.rpc.calls.map((call) => {
      const target = `${call.service}.${call.method}`;
      return target in this.replies ? lines.shift()! : `${target}(${args(call.args)}) → the fake has no reply for it: give it some`;
    });
  }

  private answer(target: string, callArgs: unknown[]): unknown {
    const plan = this.plans.shift() ?? { reply: 0 };
    const call = `${target}(${args(callArgs)})`;
    if ('error' in plan) {
      const errors = this.errorsFor(target);
      const error = errors[plan.error % errors.length]!(plan.message, plan.details);
      this.log.push(`${call} → throws ${error.constructor.name}: ${JSON.stringify(error.message)}`);
      throw error;
    }
    const choices = this.replies[target]!;
    const chosen = choices[plan.reply % choices.length];
    this.log.push(`${call} → reply #${plan.reply % choices.length}`);
    return typeof chosen === 'function' ? chosen(...callArgs) : structuredClone(chosen);
  }

  /** The errors a call of `target` can meet; a reused key only where the call carries one. */
  private errorsFor(target: string): ((message: string, details: Details) => Error)[] {
    const [service = '', method = ''] = target.split('.');
    const options = this.rpc.calls.at(-1)?.options;
    const carriesKey = options?.contextData?.idempotency_key !== undefined;
    const own = this.remoteErrors.paths().filter((path) => path.startsWith(`${service}.exceptions.`));
    const framework = [...FROM_ANY_SERVICE, ...(carriesKey ? [IdempotencyKeyReused] : [])].map((cls) => cls.excPath!).filter((path) => this.remoteErrors.lookup(path));
    return [
      ...[...own, ...framework].map((path) => (message: string, details: Details) => this.fromWire(path, message, details)),
      () => new RpcTimeout(service, method, 10_000),
      () => new UnknownService(service),
      () => new ConnectionLost('the connection to the broker was lost'),
    ];
  }

  /** As the facade's client decodes it: `exc_args` are the message, and the details where the class takes them. */
  private fromWire(path: string, message: string, details: Details): Error {
    const cls = this.remoteErrors.lookup(path)!;
    const takesDetails = cls.prototype instanceof InvalidArguments;
    const name = path.split('.').at(-1)!;
    return deserializeError({ exc_type: name, exc_path: path, exc_args: takesDetails ? [message, details] : [message], value: message }, this.remoteErrors);
  }
}

function args(values: unknown[]): string {
  return values.map((value) => JSON.stringify(value) ?? String(value)).join(', ');
}
