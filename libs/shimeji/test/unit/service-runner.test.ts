import { DependencyProvider, inject, rpc, service } from '../../src';
import { rpcClientFactory, runnerFactory, testBrokerUri } from '../../src/testing';

@service('first')
class First {
  @rpc async hello() {
    return 'first';
  }
}

@service('second')
class Second {
  @rpc async hello() {
    return 'second';
  }
}

class Unreachable extends DependencyProvider<void> {
  override async setup(): Promise<void> {
    throw new Error('database unreachable');
  }
  getDependency(): void {}
}

@service('broken')
class Broken {
  db = inject(new Unreachable());
  @rpc async hello() {
    return 'never';
  }
}

/** Two services whose setups each wait for the other's to begin: they start only if started together. */
const begun: Record<string, () => void> = {};
const beginning = { left: new Promise<void>((r) => (begun.left = r)), right: new Promise<void>((r) => (begun.right = r)) };

class WaitsForTheOther extends DependencyProvider<void> {
  constructor(private readonly me: 'left' | 'right') {
    super();
  }
  override async setup(): Promise<void> {
    begun[this.me]!();
    const other = this.me === 'left' ? beginning.right : beginning.left;
    await Promise.race([other, new Promise((_, reject) => setTimeout(() => reject(new Error(`${this.me} started alone`)), 2000))]);
  }
  getDependency(): void {}
}

@service('left')
class Left {
  db = inject(new WaitsForTheOther('left'));
  @rpc async hello() {
    return 'left';
  }
}

@service('right')
class Right {
  db = inject(new WaitsForTheOther('right'));
  @rpc async hello() {
    return 'right';
  }
}

describe('ServiceRunner', () => {
  const runners = runnerFactory();
  const clients = rpcClientFactory();

  it('hosts several services in one process and stops them together', async () => {
    const uri = testBrokerUri('memory');
    const runner = runners({ AMQP_URI: uri }, First, Second);
    await runner.start();
    const client = await clients({ uri, timeoutMs: 1000 });
    await expect(Promise.all([client.call('first', 'hello'), client.call('second', 'hello')])).resolves.toEqual(['first', 'second']);
    await runner.stop();
    expect(runner.containers.map((c) => c.isRunning)).toEqual([false, false]);
  });

  it('stops the services it had started when another fails to start', async () => {
    const runner = runners({ AMQP_URI: testBrokerUri('memory') }, First, Broken);
    await expect(runner.start()).rejects.toThrow('database unreachable');
    expect(runner.container('first')!.isRunning).toBe(false);
  });

  it('starts its services at the same time, not one after another', async () => {
    const runner = runners({ AMQP_URI: testBrokerUri('memory') }, Left, Right);
    await runner.start();
    expect(runner.containers.map((c) => c.isRunning)).toEqual([true, true]);
  });

  it('refuses to host the same service twice', () => {
    const runner = runners({ AMQP_URI: testBrokerUri('memory') }, First);
    expect(() => runner.addService(First)).toThrow('already hosted');
  });
});
