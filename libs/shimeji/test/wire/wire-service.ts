// Our counterparts of the capture's Python module `wire_service` (services echo and relay).
// Each test hosts them under a unique name, so parallel test files never share a queue.
import { inject, rpc, RpcProxy, service, ShimejiError } from '../../src';

/** Registered on both sides under the capture's path. */
export class RegisteredError extends ShimejiError {
  static override excPath = 'wire_service.RegisteredError';
}

/** Not registered anywhere: the caller gets a RemoteError. */
export class EchoError extends ShimejiError {}

export function echoService(name: string) {
  @service(name)
  class Echo {
    @rpc
    async echo(x: unknown) {
      return x;
    }

    /** Python: `raise EchoError(msg, 42)`, whose str() is `('boom', 42)`. */
    @rpc
    async fail(msg: string) {
      throw new EchoError(`('${msg}', 42)`, [msg, 42]);
    }

    @rpc
    async fail_registered(msg: string) {
      throw new RegisteredError(msg);
    }

    /** Python returns object(); a circular object is what JSON cannot hold here. */
    @rpc
    async unserializable() {
      const circular: { self?: unknown } = {};
      circular.self = circular;
      return circular;
    }

    /** Returns nothing, as a Python method without `return` does. */
    @rpc
    async nothing(): Promise<void> {}

    /** What the worker was given: a number or a bigint, by the value's size. */
    @rpc
    async typeOf(x: unknown) {
      return { type: typeof x, x };
    }
  }
  return Echo;
}

export interface EchoApi {
  echo(x: unknown): unknown;
}

export function relayService(name: string, echoName: string) {
  @service(name)
  class Relay {
    echo = inject(new RpcProxy<EchoApi>(echoName));

    @rpc
    async relay(value: unknown) {
      return this.echo.echo(value);
    }
  }
  return Relay;
}
