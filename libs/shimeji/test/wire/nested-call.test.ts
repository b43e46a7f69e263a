// A service calls another from inside its worker (rpc-request-nested.json): the inner request
// carries the outer caller's call id stack plus the worker's own call id, and replies go to the
// calling service's own reply queue `rpc.reply-<service>-<uuid>`.
import { containerFactory, testBrokerUri } from '../../src/testing';
import { type CapturedMessage, UUID, asCaptured, fixture, withoutRaw } from './fixtures';
import { namekoPeers, queueFlags, uniqueName } from './nameko-peer';
import { echoService, relayService } from './wire-service';

const nested = fixture('rpc-request-nested.json');
const outer = nested.outer_request as CapturedMessage;
const inner = nested.inner_request as CapturedMessage;
const innerReply = nested.inner_reply as CapturedMessage;
const outerCallIdStack = outer.headers!['nameko.call_id_stack'] as string[];
const relayReplyQueue = queueFlags(
  fixture('topology.json').queues.find((q: { name: string }) => q.name === 'rpc.reply-relay-05c187ed-90c3-44d5-89b6-d6fe74094b1b'),
);

describe('A service of ours calls another from inside its worker', () => {
  const containers = containerFactory({ AMQP_URI: testBrokerUri() });
  const peers = namekoPeers();

  /** Relay calling echo, both ours; a Nameko peer that sniffs relay's inner call and takes replies. */
  async function relayAndEcho() {
    const echoName = uniqueName('echo');
    const relayName = uniqueName('relay');
    await containers(echoService(echoName)).start();
    await containers(relayService(relayName, echoName)).start();
    const peer = await peers();
    peer.deleteOnClose(`rpc-${echoName}`, `rpc-${relayName}`);
    return { echoName, relayName, peer, sniffer: await peer.sniff(`${echoName}.echo`), replies: await peer.replyQueue() };
  }

  it('sends the inner request with a call id stack of two and its own reply queue as reply_to', async () => {
    const { echoName, relayName, peer, sniffer, replies } = await relayAndEcho();

    await peer.publishCaptured(outer, `${relayName}.relay`, { replyTo: replies.replyTo });
    const sent = await sniffer.next();

    expect(asCaptured(sent)).toEqual({
      ...withoutRaw(inner),
      routing_key: `${echoName}.echo`,
      properties: { ...inner.properties, correlation_id: expect.stringMatching(UUID), reply_to: expect.stringMatching(UUID) },
      headers: {
        'nameko.call_id_stack': [
          ...outerCallIdStack,
          expect.stringMatching(new RegExp(`^${relayName}\\.relay\\.[0-9a-f-]{36}$`)),
        ],
      },
    });
    const relayQueue = `rpc.reply-${relayName}-${sent.properties.replyTo}`;
    await expect(peer.declareExisting(relayQueue, relayReplyQueue)).resolves.toMatchObject({ consumerCount: 1 });

    const outerReply = asCaptured(await replies.next());
    expect(outerReply).toEqual({
      ...withoutRaw(innerReply),
      routing_key: replies.replyTo,
      // Our relay's reply: Nameko's but transient, which Nameko reads the same (see nameko-client-calls-our-service).
      properties: { ...innerReply.properties, correlation_id: outer.properties.correlation_id, delivery_mode: 1 },
    });
  });

  it('passes integers beyond 2^53 through a nested call with every digit, both ways', async () => {
    const { relayName, peer, sniffer, replies } = await relayAndEcho();
    const big = '9223372036854775807';

    await peer.publishCaptured({ ...outer, body_raw: `{"args": [[${big}, -${big}]], "kwargs": {}}` }, `${relayName}.relay`, { replyTo: replies.replyTo });

    expect((await sniffer.next()).content.toString('utf8')).toBe(`{"args":[[${big},-${big}]],"kwargs":{}}`);
    expect((await replies.next()).content.toString('utf8')).toBe(`{"result":[${big},-${big}],"error":null}`);
  });
});
