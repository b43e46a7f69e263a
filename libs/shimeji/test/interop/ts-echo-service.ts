// Our side of the live interop test: a service a Python Nameko client calls, which calls Nameko back.
import { ContextProbe } from '../contract/contract-services';
import { inject, rpc, RpcProxy, service } from '../../src';

export class Refused extends Error {}

interface PyEcho {
  echo(value: unknown, suffix?: string): unknown;
}

@service('tsecho')
export class TsEchoService {
  ctx = inject(new ContextProbe());
  pyecho = inject(new RpcProxy<PyEcho>('pyecho'));

  @rpc async echo(value: unknown) {
    return value;
  }

  @rpc async greet(name: string, greetingWord = 'hello') {
    return `${greetingWord}, ${name}`;
  }

  @rpc async whoAmI() {
    return { data: this.ctx.data, callIdStack: this.ctx.callIdStack };
  }

  @rpc({ expectedExceptions: [Refused] })
  async refuse(reason: string) {
    throw new Refused(reason);
  }

  @rpc async explode() {
    throw new TypeError('it broke');
  }

  /** Returns nothing: a Nameko caller must still find `result` (None) in the reply. */
  @rpc async nothing(): Promise<void> {}

  @rpc async typeOf(value: unknown) {
    return typeof value;
  }

  @rpc async askPython(value: string) {
    return { typescript_saw: await this.pyecho.echo(value, '!') };
  }
}
