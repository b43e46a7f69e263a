// Moleculer 0.14 (0.15 needs Node 22) with its AMQP transporter: two brokers in this process,
// one serving `echo.echo`, one calling it, each on its own connection, as two nodes would be.
//
// Made comparable with the others where the transporter lets us:
// - prefetch 64 (its default is 1, about 4× slower at 50 in flight);
// - TCP_NODELAY through the transporter's `socketOptions`, which go to amqplib's connect;
// - persistent messages (`messageOptions`; off by default).
// What it does not do, and no option turns on: publisher confirms (plain channel), acks on
// replies (its reply queue is consumed with noAck). Requests are acked once the handler's
// promise settled, after the reply was written to the socket.
import { ServiceBroker, Transporters } from 'moleculer';
import type { EchoTarget } from '../rpc/measure';
import type { Payload } from '../rpc/payload';

export interface MoleculerEchoOptions {
  uri: string;
  runId: string;
  prefetch: number;
  onQueue(name: string): void;
  onExchange(name: string): void;
}

export interface MoleculerEcho extends EchoTarget {
  close(): Promise<void>;
}

/**
 * The stock AMQP transporter, recording the queues and exchanges it declares so the benchmark
 * can delete them: its request queues never expire and its fanout exchanges stay forever.
 * Names as in moleculer/src/transporters/amqp.js.
 */
function recordingTransporter(options: MoleculerEchoOptions) {
  return class RecordingAmqp extends Transporters.AMQP {
    override subscribe(cmd: string, nodeID?: string): Promise<void> {
      const self = this as unknown as { prefix: string; nodeID: string };
      const topic = this.getTopicName(cmd, nodeID);
      if (nodeID != null) options.onQueue(topic);
      else {
        options.onExchange(topic);
        options.onQueue(`${self.prefix}.${cmd}.${self.nodeID}`);
      }
      return super.subscribe(cmd, nodeID);
    }

    override subscribeBalancedRequest(action: string): Promise<void> {
      options.onQueue(`${(this as unknown as { prefix: string }).prefix}.REQB.${action}`);
      return super.subscribeBalancedRequest(action);
    }

    override subscribeBalancedEvent(event: string, group: string): Promise<void> {
      options.onQueue(`${(this as unknown as { prefix: string }).prefix}.EVENTB.${group}.${event}`);
      return super.subscribeBalancedEvent(event, group);
    }
  };
}

function makeBroker(options: MoleculerEchoOptions, role: string): ServiceBroker {
  const Transporter = recordingTransporter(options);
  return new ServiceBroker({
    // Its own namespace: queue and exchange names are `MOL-<namespace>.…`.
    namespace: `bench-${options.runId}`,
    nodeID: `bench-${role}-${options.runId}`,
    logger: false,
    internalServices: false,
    requestTimeout: 30_000,
    transporter: new Transporter({
      url: options.uri,
      prefetch: options.prefetch,
      socketOptions: { noDelay: true },
      messageOptions: { persistent: true },
      // Queues are deleted by the benchmark; none should expire under it while it runs.
      autoDeleteQueues: false,
    }),
  });
}

export async function startMoleculerEcho(options: MoleculerEchoOptions): Promise<MoleculerEcho> {
  const server = makeBroker(options, 'server');
  const client = makeBroker(options, 'client');
  server.createService({
    name: 'echo',
    actions: {
      echo: (ctx: { params: Payload }) => ctx.params,
    },
  });
  try {
    await server.start();
    await client.start();
    await client.waitForServices('echo', 10_000);
  } catch (error) {
    await client.stop().catch(() => undefined);
    await server.stop().catch(() => undefined);
    throw error;
  }
  return {
    label: 'Moleculer 0.14 (AMQP)',
    call: (payload) => client.call('echo.echo', payload),
    close: async () => {
      await client.stop();
      await server.stop();
    },
  };
}
