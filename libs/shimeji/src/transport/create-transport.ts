import { AmqpTransport, type QueueType } from './amqp-transport';
import { MemoryBroker, MemoryTransport } from './memory-transport';
import type { Logger } from '../logger';
import type { Transport } from './transport';

export interface TransportOptions {
  heartbeatSeconds: number;
  connectionName?: string;
  logger?: Logger;
  /** RabbitMQ only: `quorum` for the durable queues declared (see AmqpTransportOptions). */
  queueType?: QueueType;
}

/**
 * `amqp://…` / `amqps://…` connect to RabbitMQ; `memory://<name>` joins the in-process broker of
 * that name, so everything in one process with the same name talks as if through one broker.
 */
export function createTransport(uri: string, options: TransportOptions): Transport {
  // Several nodes of one cluster: `amqp://a,amqp://b` (each is checked below, as one would be).
  const url = new URL(uri.split(',')[0]!.trim());
  if (url.protocol === 'memory:') {
    const name = url.host || url.pathname.replace(/^\/+/, '') || 'default';
    return new MemoryTransport(MemoryBroker.named(name), name);
  }
  if (url.protocol === 'amqp:' || url.protocol === 'amqps:') return new AmqpTransport(uri, options);
  throw new Error(`unsupported broker URI scheme "${url.protocol}" (use amqp://, amqps:// or memory://)`);
}
