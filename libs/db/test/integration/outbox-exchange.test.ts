// The outbox declares its service's events exchange as shimeji does, so a cluster configured with
// Nameko's AUTO_DELETE_EVENT_EXCHANGES can run an outbox service beside handlers of its events.
import { randomUUID } from 'node:crypto';
import { eventHandler, inject, rpc, service, ServiceContainer } from '@platform/shimeji';
import { testBrokerUri } from '@platform/shimeji/testing';
import { rpcClientFactory } from '@platform/shimeji/testing';
import { Database, OutboxDispatcher } from '../../src';

const heard: string[] = [];

@service('outbox_auto_delete')
class Announcer {
  db = inject(new Database({}, { migrations: [] }));
  dispatch = inject(new OutboxDispatcher(this.db));

  @rpc async announce(id: string) {
    this.dispatch('announced', { id });
  }
}

@service('outbox_auto_delete_listener')
class Listener {
  @eventHandler('outbox_auto_delete', 'announced')
  async onAnnounced(payload: { id: string }) {
    heard.push(payload.id);
  }
}

describe('the outbox on a broker with auto-deleted event exchanges', () => {
  const uri = testBrokerUri('amqp');
  const clients = rpcClientFactory();
  const containers: ServiceContainer[] = [];

  afterAll(async () => {
    for (const container of containers.reverse()) await container.stop();
  });

  it('starts beside a handler that declared the exchange first, and its events reach it', async () => {
    const config = { AMQP_URI: uri, AUTO_DELETE_EVENT_EXCHANGES: true, logLevel: 'silent' };
    for (const cls of [Listener, Announcer]) {
      const container = new ServiceContainer(cls, config);
      containers.push(container);
      await container.start();
    }
    const id = randomUUID();
    await (await clients({ uri })).call('outbox_auto_delete', 'announce', [id]);
    const deadline = Date.now() + 10_000;
    while (!heard.includes(id) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard).toEqual([id]);
  }, 60_000);
});
