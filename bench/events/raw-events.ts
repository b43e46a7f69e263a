// The baseline: events written directly on amqplib, with the guarantees shimeji's events have.
// - The publisher sends each event as a persistent JSON message to a durable topic exchange, on
//   a confirm channel; a dispatch completes when the broker confirms it.
// - Each consumer has a durable queue bound with the event type, its own connection (as each
//   shimeji container has), prefetch 64 and manual acks: the handler runs, then the ack.
// - With two consumer queues on the exchange it is the fan-out shimeji's broadcast does; with
//   `transient`, its queues have the flags of Nameko's broadcast queues (exclusive, auto-delete,
//   not durable), so the broker does not write the persistent events to disk there either.
// - TCP_NODELAY on every connection.
import * as amqp from 'amqplib';
import type { Payload } from '../rpc/payload';
import type { DeliveryTracker } from './tracker';

const EVENT_TYPE = 'bench_event';

export interface RawEventsOptions {
  uri: string;
  runId: string;
  prefetch: number;
  /** Consumer i (0-based) calls tracker.handled(i, payload). */
  tracker: DeliveryTracker;
  /** Names this baseline's exchange and queues, so two baselines can run side by side. */
  name: string;
  /** Exclusive, auto-delete, non-durable queues, as shimeji's (Nameko's) broadcast handlers declare. */
  transient: boolean;
  onQueue(name: string): void;
  onExchange(name: string): void;
}

export interface RawEvents {
  readonly serverVersion: string;
  dispatch(payload: Payload): Promise<void>;
  close(): Promise<void>;
}

async function openConnection(uri: string, name: string): Promise<amqp.ChannelModel> {
  const connection = await amqp.connect(uri, { noDelay: true, clientProperties: { connection_name: name } });
  connection.on('error', () => undefined); // 'close' follows; problems surface as failed dispatches
  return connection;
}

export async function startRawEvents(options: RawEventsOptions): Promise<RawEvents> {
  const exchange = `bench.events.${options.name}-${options.runId}`;
  const connections: amqp.ChannelModel[] = [];
  const channels: amqp.Channel[] = [];
  const close = async (): Promise<void> => {
    // Channels first, so the last acks reach the broker before the connections go.
    for (const channel of channels.splice(0)) await channel.close().catch(() => undefined);
    for (const connection of connections.splice(0)) await connection.close().catch(() => undefined);
  };
  try {
    const publisherConnection = await openConnection(options.uri, `bench raw events publisher (${options.name})`);
    connections.push(publisherConnection);
    const publisher = await publisherConnection.createConfirmChannel();
    channels.push(publisher);
    options.onExchange(exchange);
    await publisher.assertExchange(exchange, 'topic', { durable: true, autoDelete: false });

    for (let index = 0; index < options.tracker.consumers; index++) {
      const connection = await openConnection(options.uri, `bench raw events consumer ${index + 1} (${options.name})`);
      connections.push(connection);
      const channel = await connection.createChannel();
      channels.push(channel);
      const queue = `${exchange}.q${index + 1}`;
      options.onQueue(queue);
      const { transient } = options;
      await channel.assertQueue(queue, { durable: !transient, autoDelete: transient, exclusive: transient });
      await channel.bindQueue(queue, exchange, EVENT_TYPE);
      await channel.prefetch(options.prefetch);
      await channel.consume(
        queue,
        (message) => {
          if (!message) return;
          let payload: unknown;
          try {
            payload = JSON.parse(message.content.toString('utf8'));
          } catch {
            payload = { malformed: message.content.toString('utf8') };
          }
          options.tracker.handled(index, payload);
          channel.ack(message);
        },
        { noAck: false },
      );
    }
    return {
      serverVersion: String(publisherConnection.connection.serverProperties.version ?? 'unknown'),
      dispatch: (payload) =>
        new Promise<void>((resolve, reject) => {
          const body = Buffer.from(JSON.stringify(payload), 'utf8');
          // One object literal per call site: amqplib's publish is far slower with options built any other way.
          publisher.publish(exchange, EVENT_TYPE, body, { persistent: true, contentType: 'application/json' }, (error: unknown) =>
            error ? reject(new Error(`event not confirmed: ${String(error)}`)) : resolve(),
          );
        }),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
