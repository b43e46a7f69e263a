import { DependencyProvider, inject, rpc, service } from '../../src';
import { containerFactory, testBrokerUri } from '../../src/testing';

const stopped: string[] = [];

class Named extends DependencyProvider<void> {
  constructor(private readonly label: string) {
    super();
  }
  override async stop(): Promise<void> {
    stopped.push(this.label);
  }
  getDependency(): void {}
}

@service('layered')
class Layered {
  storage = inject(new Named('storage'));
  publisher = inject(new Named('publisher, which writes through storage'));
  @rpc async noop() {}
}

describe('stopping a container', () => {
  const containers = containerFactory();

  it('stops dependencies in the reverse of their declaration, so none loses one it uses', async () => {
    const container = containers(Layered, { AMQP_URI: testBrokerUri('memory') });
    await container.start();
    await container.stop();
    expect(stopped).toEqual(['publisher, which writes through storage', 'storage']);
  });
});
