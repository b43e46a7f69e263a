// The exchange and queues our services and clients declare must be Nameko's, flag for flag:
// RabbitMQ refuses (PRECONDITION_FAILED) a declaration that differs from an existing one, so a
// Nameko service and ours could not share a broker otherwise. Each check declares the existing
// entity with exactly the flags of topology.json, and a variant that must be refused.
import { containerFactory, rpcClientFactory, testBrokerUri } from '../../src/testing';
import { fixture } from './fixtures';
import { NAMEKO_RPC, namekoPeers, queueFlags, uniqueName } from './nameko-peer';
import { echoService } from './wire-service';

const topology = fixture('topology.json');
const exchange = topology.exchanges.find((e: { name: string }) => e.name === NAMEKO_RPC);
const queueNamed = (name: string) => queueFlags(topology.queues.find((q: { name: string }) => q.name === name));
const serviceQueue = queueNamed('rpc-echo');
const replyQueue = queueNamed('rpc.reply-standalone_rpc_proxy-781271df-7a60-4cee-bc94-afc8f981a2a7');

describe('The topology our service and client declare', () => {
  const containers = containerFactory({ AMQP_URI: testBrokerUri() });
  const clients = rpcClientFactory({ uri: testBrokerUri(), timeoutMs: 5000 });
  const peers = namekoPeers();

  /** Starts echo and a client, makes one call and returns the client's reply_to, seen on the wire. */
  async function startEchoAndClient() {
    const name = uniqueName('echo');
    await containers(echoService(name)).start();
    const client = await clients();
    const peer = await peers();
    peer.deleteOnClose(`rpc-${name}`);
    const sniffer = await peer.sniff(`${name}.echo`);
    await expect(client.service<{ echo(x: string): string }>(name).echo('probe')).resolves.toBe('probe');
    const replyTo = String((await sniffer.next()).properties.replyTo);
    return { name, peer, replyTo };
  }

  it('declares nameko-rpc as the durable topic exchange Nameko declares', async () => {
    const { peer } = await startEchoAndClient();
    const flags = { durable: exchange.durable, autoDelete: exchange.auto_delete, internal: exchange.internal };

    await expect(peer.declareExchange(NAMEKO_RPC, exchange.type, flags)).resolves.toBeUndefined();
    await expect(peer.declareExchange(NAMEKO_RPC, exchange.type, { ...flags, durable: false })).rejects.toThrow(/PRECONDITION_FAILED/);
    await expect(peer.declareExchange(NAMEKO_RPC, 'direct', flags)).rejects.toThrow(/PRECONDITION_FAILED/);
  });

  it("declares rpc-<service> with the flags of Nameko's rpc-echo and consumes it once", async () => {
    const { name, peer } = await startEchoAndClient();
    expect(serviceQueue).toEqual({ durable: true, exclusive: false, autoDelete: false, arguments: {} });

    await expect(peer.declareExisting(`rpc-${name}`, serviceQueue)).resolves.toMatchObject({ consumerCount: 1 });
    await expect(
      peer.declareExisting(`rpc-${name}`, { ...serviceQueue, arguments: { 'x-expires': 300000 } }),
    ).rejects.toThrow(/PRECONDITION_FAILED/);
  });

  it("declares the client's reply queue rpc.reply-standalone_rpc_proxy-<reply_to> with Nameko's flags", async () => {
    const { peer, replyTo } = await startEchoAndClient();
    const queue = `rpc.reply-standalone_rpc_proxy-${replyTo}`;
    expect(replyQueue).toEqual({ durable: true, exclusive: false, autoDelete: false, arguments: { 'x-expires': 300000 } });

    await expect(peer.declareExisting(queue, replyQueue)).resolves.toMatchObject({ queue, consumerCount: 1 });
    await expect(peer.declareExisting(queue, { ...replyQueue, arguments: { 'x-expires': 60000 } })).rejects.toThrow(
      /PRECONDITION_FAILED/,
    );
  });
});
