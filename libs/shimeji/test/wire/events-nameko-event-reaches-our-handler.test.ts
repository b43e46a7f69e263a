// A Nameko service's captured event (event.json, byte for byte) reaches our handlers of every
// type: the worker gets the payload, the context data and the call id stack the event carried.
import { containerFactory, entrypointWaiter, testBrokerUri } from '../../src/testing';
import { type CapturedMessage, fixture } from './fixtures';
import { eventsExchange, namekoPeers, uniqueName } from './nameko-peer';
import { type Seen, listenerService } from './event-service';

const event = fixture('event.json').message as CapturedMessage;
const capturedStack = event.headers!['nameko.call_id_stack'] as string[];

describe("A Nameko service's event reaches our handlers", () => {
  const containers = containerFactory({ AMQP_URI: testBrokerUri() });
  const peers = namekoPeers();

  /** Our listener service, started, for events of a Nameko `source`; the peer that publishes them. */
  async function listening() {
    const source = uniqueName('echo');
    const listener = uniqueName('listener');
    const container = containers(listenerService(listener, source));
    await container.start();
    const peer = await peers();
    peer.deleteOnClose(`evt-${source}-${event.routing_key}--${listener}.on_pool`, `evt-${source}-${event.routing_key}`);
    peer.deleteExchangesOnClose(eventsExchange(source));
    return { source, listener, container, peer };
  }

  it.each(['on_pool', 'on_singleton', 'on_broadcast'])(
    'hands the captured event to %s with its payload, context data and call id stack',
    async (handler) => {
      const { source, listener, container, peer } = await listening();
      const handled = entrypointWaiter(container, handler);

      await peer.publishCapturedEvent(event, source);
      const { result, error } = await handled;

      expect(error).toBeUndefined();
      expect(result).toEqual<Seen>({
        payload: event.body,
        data: { language: 'en-gb', user_id: 'u-1', custom_key: 'custom' },
        callIdStack: [...capturedStack, expect.stringMatching(new RegExp(`^${listener}\\.${handler}\\.[0-9a-f-]{36}$`))],
      });
    },
  );

  it('hands one captured event to each of its handlers exactly once', async () => {
    const source = uniqueName('echo');
    const listener = uniqueName('listener');
    const container = containers(listenerService(listener, source));
    const handled: string[] = [];
    container.onWorkerFinished(({ ctx }) => handled.push(ctx.methodName));
    await container.start();
    const peer = await peers();
    peer.deleteOnClose(`evt-${source}-${event.routing_key}--${listener}.on_pool`, `evt-${source}-${event.routing_key}`);
    peer.deleteExchangesOnClose(eventsExchange(source));
    const all = Promise.all(['on_pool', 'on_singleton', 'on_broadcast'].map((h) => entrypointWaiter(container, h)));

    await peer.publishCapturedEvent(event, source);
    await all;
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(handled.sort()).toEqual(['on_broadcast', 'on_pool', 'on_singleton']);
  });

  it('hands a payload holding integers beyond 2^53 to the handler as bigints, not rounded', async () => {
    const { source, container, peer } = await listening();
    const handled = entrypointWaiter(container, 'on_pool');

    await peer.publishCapturedEvent({ ...event, body_raw: '{"order_id": 9007199254740993, "amount": 1500}' }, source);
    const { result } = await handled;

    expect((result as Seen).payload).toEqual({ order_id: 9007199254740993n, amount: 1500 });
  });
});
