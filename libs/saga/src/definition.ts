// A saga is declared once, as data: a name and an ordered list of steps. Each step either calls
// another service (a remote step) or writes in the orchestrating service's own database (a local
// step), and may say how to undo itself (its compensation). The runner walks the list; the
// definition only says what to do, never when, so a resumed saga follows the very same steps.
import type { Dispatch } from '@platform/shimeji';
import type { UnitOfWork } from '@platform/db';
import type { Knex } from 'knex';

/** What a saga carries from step to step: plain JSON, stored with the saga after each step. */
export type SagaContext = Record<string, unknown>;

/** What a remote step sends: positional arguments built from the context. */
export type ArgsOf<C> = (context: C) => unknown[];

export interface RemoteCall<C> {
  service: string;
  method: string;
  args: ArgsOf<C>;
}

/** What a local step is given: the saga's state and the transaction its writes and the saga's progress commit in. */
export interface LocalStepScope<C> {
  sagaId: string;
  context: C;
  trx: Knex.Transaction;
  unit: UnitOfWork;
  /** The service's collections on this step's transaction (when the saga runs in a service: `Sagas`). */
  db: any;
  /** Events stored in this step's transaction, published after it commits (when `Sagas` was given the OutboxDispatcher). */
  dispatch?: Dispatch;
}

/** A local step's work; what it returns is merged into the context. */
export type LocalAction<C> = (scope: LocalStepScope<C>) => Promise<Partial<C> | void> | Partial<C> | void;

export interface RemoteStep<C> {
  kind: 'remote';
  name: string;
  execute: RemoteCall<C>;
  /** Turns the reply into what is merged into the context. */
  onSuccess?: (result: any, context: C) => Partial<C> | void;
  compensate?: RemoteCall<C>;
}

export interface LocalStep<C> {
  kind: 'local';
  name: string;
  execute: LocalAction<C>;
  compensate?: LocalAction<C>;
}

export type SagaStep<C> = RemoteStep<C> | LocalStep<C>;

export interface SagaDefinition<C extends SagaContext = SagaContext> {
  readonly name: string;
  readonly steps: readonly SagaStep<C>[];
}

const NAME = /^[a-z][a-z0-9_.-]*$/i;

/**
 * Declares a saga: `saga<Ctx>('cancel_order').remoteStep('refund').onExecute('payment',
 * 'refundPayment', (c) => [c.orderId]).compensate(…).localStep('mark').onExecute(fn).commit()`.
 */
export function saga<C extends SagaContext = SagaContext>(name: string): SagaBuilder<C> {
  return new SagaBuilder<C>(name);
}

export class SagaBuilder<C extends SagaContext> {
  private readonly steps: SagaStep<C>[] = [];

  constructor(private readonly name: string) {
    if (!NAME.test(name)) throw new Error(`a saga's name is letters, digits, "_", "-" and ".": got "${name}"`);
  }

  /** A step that calls another service; say which with `onExecute`. */
  remoteStep(name: string): RemoteStepBuilder<C> {
    return new RemoteStepBuilder<C>(this, this.named(name));
  }

  /** A step that writes in this service's own database, in the transaction that records it done. */
  localStep(name: string): LocalStepBuilder<C> {
    return new LocalStepBuilder<C>(this, this.named(name));
  }

  /** The finished definition. */
  commit(): SagaDefinition<C> {
    if (this.steps.length === 0) throw new Error(`saga ${this.name} has no steps`);
    return Object.freeze({ name: this.name, steps: Object.freeze([...this.steps]) });
  }

  /** @internal: a step builder hands its step back here. */
  add(step: SagaStep<C>): this {
    this.steps.push(step);
    return this;
  }

  private named(step: string): string {
    if (!NAME.test(step)) throw new Error(`saga ${this.name}: a step's name is letters, digits, "_", "-" and ".": got "${step}"`);
    if (this.steps.some((s) => s.name === step)) throw new Error(`saga ${this.name} has two steps named ${step}`);
    return step;
  }
}

/** Ends a step and goes on with the saga: the builder's own methods, once the step is complete. */
abstract class StepBuilder<C extends SagaContext> {
  private added = false;

  constructor(protected readonly parent: SagaBuilder<C>, protected readonly name: string) {}

  protected abstract build(): SagaStep<C>;

  remoteStep(name: string): RemoteStepBuilder<C> {
    return this.done().remoteStep(name);
  }

  localStep(name: string): LocalStepBuilder<C> {
    return this.done().localStep(name);
  }

  commit(): SagaDefinition<C> {
    return this.done().commit();
  }

  private done(): SagaBuilder<C> {
    if (!this.added) this.parent.add(this.build());
    this.added = true;
    return this.parent;
  }
}

export class RemoteStepBuilder<C extends SagaContext> extends StepBuilder<C> {
  private execute?: RemoteCall<C>;
  private success?: RemoteStep<C>['onSuccess'];
  private compensation?: RemoteCall<C>;

  /** The call: `service.method(...args(context))`, made with the step's idempotency key. */
  onExecute(service: string, method: string, args: ArgsOf<C> = () => []): this {
    this.execute = { service, method, args };
    return this;
  }

  /** What of the reply the context keeps: the returned fields are merged into it. */
  onSuccess(merge: (result: any, context: C) => Partial<C> | void): this {
    this.success = merge;
    return this;
  }

  /** The call that undoes this step, made when a later step fails. */
  compensate(service: string, method: string, args: ArgsOf<C> = () => []): this {
    this.compensation = { service, method, args };
    return this;
  }

  protected build(): RemoteStep<C> {
    if (!this.execute) throw new Error(`step ${this.name} is remote: say what it calls with onExecute(service, method, args)`);
    return { kind: 'remote', name: this.name, execute: this.execute, onSuccess: this.success, compensate: this.compensation };
  }
}

export class LocalStepBuilder<C extends SagaContext> extends StepBuilder<C> {
  private execute?: LocalAction<C>;
  private compensation?: LocalAction<C>;

  /** The work; what it returns is merged into the context. */
  onExecute(action: LocalAction<C>): this {
    this.execute = action;
    return this;
  }

  /** The work that undoes this step, in a transaction of its own, when a later step fails. */
  compensate(action: LocalAction<C>): this {
    this.compensation = action;
    return this;
  }

  protected build(): LocalStep<C> {
    if (!this.execute) throw new Error(`step ${this.name} is local: say what it does with onExecute(action)`);
    return { kind: 'local', name: this.name, execute: this.execute, compensate: this.compensation };
  }
}
