// Our dispatchers publish events in the captured form (event.json, event-standalone.json): to
// `<service>.events`, keyed by the event type, with Nameko's properties, context headers and body.
// One addition of ours: a message_id (a uuid) on every event, so a consumer can spot a duplicate.
import { ClusterEventDispatcher } from '../../src';
import { containerFactory, rpcClientFactory, testBrokerUri } from '../../src/testing';
import { type CapturedMessage, UUID, asCaptured, fixture, withoutRaw } from './fixtures';
import { eventsExchange, namekoPeers, uniqueName } from './nameko-peer';
import { EVENT_TYPE, emitterService } from './event-service';

const event = fixture('event.json').message as CapturedMessage;
const standaloneEvent = fixture('event-standalone.json').message as CapturedMessage;

const CONTEXT = { language: 'en-gb', user_id: 'u-1', custom_key: 'custom' };
const STANDALONE_CALL_ID = /^standalone_rpc_proxy\.call\.[0-9a-f-]{36}$/;

describe('Our event dispatchers publish what Nameko publishes', () => {
  const containers = containerFactory({ AMQP_URI: testBrokerUri() });
  const clients = rpcClientFactory({ uri: testBrokerUri(), timeoutMs: 5000, contextData: CONTEXT });
  const peers = namekoPeers();
  const dispatchers: ClusterEventDispatcher[] = [];
  afterEach(async () => {
    await Promise.all(dispatchers.splice(0).map((d) => d.close()));
  });

  it("publishes a worker's event as Nameko's EventDispatcher does, carrying the caller's context and call id stack", async () => {
    expect(event.routing_key).toBe(EVENT_TYPE);
    const name = uniqueName('echo');
    await containers(emitterService(name)).start();
    const peer = await peers();
    peer.deleteOnClose(`rpc-${name}`);
    const requests = await peer.sniff(`${name}.emit`);
    const events = await peer.sniffEvents(name);
    const client = await clients();

    await expect(client.service<{ emit(payload: unknown): unknown }>(name).emit(event.body)).resolves.toBeNull();
    const request = await requests.next();
    const sent = await events.next();

    const callerStack = request.properties.headers!['nameko.call_id_stack'] as string[];
    expect(callerStack).toEqual([expect.stringMatching(STANDALONE_CALL_ID)]);
    expect(asCaptured(sent)).toEqual({
      ...withoutRaw(event),
      exchange: eventsExchange(name),
      properties: { ...event.properties, message_id: expect.stringMatching(UUID) },
      headers: {
        ...event.headers,
        'nameko.call_id_stack': [callerStack[0], expect.stringMatching(new RegExp(`^${name}\\.emit\\.[0-9a-f-]{36}$`))],
      },
    });
  });

  it('gives every event a message id of its own', async () => {
    const name = uniqueName('echo');
    await containers(emitterService(name)).start();
    const peer = await peers();
    peer.deleteOnClose(`rpc-${name}`);
    const events = await peer.sniffEvents(name);
    const emitter = (await clients()).service<{ emit(payload: unknown): unknown }>(name);

    await emitter.emit({ id: 1 });
    await emitter.emit({ id: 2 });
    const sent = await events.take(2);

    expect(sent.map((m) => asCaptured(m).body)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(sent[0]!.properties.messageId).not.toBe(sent[1]!.properties.messageId);
  });

  it("publishes a standalone event as Nameko's event_dispatcher does, with no headers", async () => {
    const name = uniqueName('echo');
    const peer = await peers();
    const events = await peer.sniffEvents(name);
    const dispatcher = await ClusterEventDispatcher.connect({ uri: testBrokerUri() });
    dispatchers.push(dispatcher);

    await dispatcher.dispatch(name, standaloneEvent.routing_key, standaloneEvent.body);
    const sent = await events.next();

    expect(asCaptured(sent)).toEqual({
      ...withoutRaw(standaloneEvent),
      exchange: eventsExchange(name),
      properties: { ...standaloneEvent.properties, message_id: expect.stringMatching(UUID) },
    });
    expect(asCaptured(sent).headers).toEqual({});
  });
});
