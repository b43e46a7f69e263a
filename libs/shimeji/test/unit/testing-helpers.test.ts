import { Config, inject, rpc, RpcProxy, service } from '../../src';
import {
  containerFactory,
  createFake,
  entrypointHook,
  entrypointWaiter,
  replaceDependencies,
  restrictEntrypoints,
  rpcClientFactory,
  testBrokerUri,
  workerFactory,
} from '../../src/testing';

@service('greeter')
class Greeter {
  config = inject(new Config());
  names = inject(new RpcProxy<{ lookup(id: string): string }>('names'));

  @rpc async greet(id: string) {
    return `${this.config.greeting ?? 'hello'}, ${await this.names.lookup(id)}`;
  }

  @rpc async ping() {
    return 'pong';
  }
}

describe('the testing helpers', () => {
  const containers = containerFactory();
  const clients = rpcClientFactory();

  it('workerFactory replaces every dependency with a given object or a recording fake', async () => {
    const worker = workerFactory(Greeter, { config: { greeting: 'hi' } });
    worker.names.lookup = createFake().implement(() => 'Ann') as never;
    await expect(worker.greet('u-1')).resolves.toBe('hi, Ann');
    expect((worker.names.lookup as unknown as { calls: unknown[][] }).calls).toEqual([['u-1']]);
  });

  it('entrypointHook runs a method in a running container with replaced dependencies', async () => {
    const container = containers(Greeter, { AMQP_URI: testBrokerUri('memory'), greeting: 'hey' });
    const { names } = replaceDependencies(container, 'names');
    names.lookup.implement(async () => 'Bo');
    await container.start();
    await expect(entrypointHook(container, 'greet')('u-2')).resolves.toBe('hey, Bo');
  });

  it('entrypointWaiter resolves when the next worker of a method finishes', async () => {
    const uri = testBrokerUri('memory');
    const container = containers(Greeter, { AMQP_URI: uri });
    await container.start();
    const done = entrypointWaiter(container, 'ping');
    const client = await clients({ uri });
    await client.call('greeter', 'ping', []);
    await expect(done).resolves.toMatchObject({ result: 'pong' });
  });

  it('restrictEntrypoints keeps only the named entrypoints', async () => {
    const uri = testBrokerUri('memory');
    const container = containers(Greeter, { AMQP_URI: uri });
    restrictEntrypoints(container, 'ping');
    await container.start();
    const client = await clients({ uri });
    await expect(client.call('greeter', 'ping', [])).resolves.toBe('pong');
    await expect(client.call('greeter', 'greet', ['x'])).rejects.toThrow('greet');
  });
});
