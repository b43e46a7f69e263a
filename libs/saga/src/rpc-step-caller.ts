// Remote steps over the container's broker, as the service itself calls: shimeji's reply
// listener, the service's own access token (a saga acts on its own, no caller started it), and
// the step's idempotency key as context data `idempotency_key`, the key an idempotent
// entrypoint (`@rpc({ idempotent: true })` with libs/db) knows a call again by.
import { randomUUID } from 'node:crypto';
import { AUTH_TOKEN_KEY, contextToHeaders, defaultErrorRegistry, type ErrorRegistry, ReplyListener, type ServiceContainer, ServiceIdentity } from '@platform/shimeji';
import type { StepCall, StepCaller } from './step-caller';

export const IDEMPOTENCY_KEY = 'idempotency_key';

export interface RpcStepCallerOptions {
  /** Per call; default the container's `rpcTimeoutMs`. */
  timeoutMs: number;
  /** The remote errors turned back into their own classes (for `transient`, logs). */
  errors?: ErrorRegistry;
}

/** A StepCaller on its own reply queue; `start` before the first call, `stop` after the last. */
export class RpcStepCaller {
  private readonly listener: ReplyListener;
  private readonly identity: ServiceIdentity;

  constructor(private readonly container: ServiceContainer, private readonly options: RpcStepCallerOptions) {
    this.listener = new ReplyListener(container.transport, container.serviceName, container.logger);
    this.identity = ServiceIdentity.of(container);
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  stop(): Promise<void> {
    return this.listener.stop();
  }

  readonly call: StepCaller = async (call: StepCall) => {
    const token = await this.identity.token();
    const data = { [IDEMPOTENCY_KEY]: call.idempotencyKey, ...(token === undefined ? {} : { [AUTH_TOKEN_KEY]: token }) };
    // A call id of its own, naming the saga and step, so the callee's logs lead back here.
    const callId = `${this.container.serviceName}.saga.${call.saga}.${call.step}.${randomUUID()}`;
    return this.listener.call({
      service: call.service,
      method: call.method,
      args: call.args,
      headers: contextToHeaders(data, [callId]),
      timeoutMs: this.options.timeoutMs,
      errors: this.options.errors ?? defaultErrorRegistry,
    });
  };
}
