// The framework side: an echo service in a ServiceContainer, called through ClusterRpcClient,
// exactly as an application would use them.
import { ClusterRpcClient, rpc, type RpcConsumer, service, ServiceContainer } from '@platform/shimeji';
import type { EchoTarget } from './measure';
import type { Payload } from './payload';

interface EchoApi {
  echo(payload: Payload): Payload;
}

export interface ShimejiEchoOptions {
  uri: string;
  runId: string;
  maxWorkers: number;
  /** Called with each queue before it is declared, so cleanup knows it even if setup fails half way. */
  onQueue(name: string): void;
  /** reply-levers.ts only: how the service sends its replies (default: shimeji's own). */
  replyLevers?: RpcConsumer['replyLevers'];
  label?: string;
  /** Replies through RabbitMQ's direct reply-to, as a facade's client takes them (default: the reply queue). */
  directReplies?: boolean;
}

export interface ShimejiEcho extends EchoTarget {
  /** The echo service's container, for benchmarks that instrument it. */
  container: ServiceContainer;
  close(): Promise<void>;
}

// Made in a function because the service name is only known at run time: a fixed name would
// share a queue with a concurrent or crashed earlier run.
function defineEchoService(name: string) {
  @service(name)
  class BenchEchoService {
    @rpc
    async echo(payload: Payload): Promise<Payload> {
      return payload;
    }
  }
  return BenchEchoService;
}

/** The reply queue's name is not public API; we read it only so a failed run can still delete it. */
function replyQueueOf(client: ClusterRpcClient): string | undefined {
  const queue = (client as unknown as { replies?: { queue?: unknown } }).replies?.queue;
  return typeof queue === 'string' ? queue : undefined;
}

export async function startShimejiEcho(options: ShimejiEchoOptions): Promise<ShimejiEcho> {
  const serviceName = `bench_echo_${options.runId}`;
  // Nameko's queue name for a service's RPC requests (shimeji declares it, never deletes it).
  options.onQueue(`rpc-${serviceName}`);
  const container = new ServiceContainer(defineEchoService(serviceName), {
    AMQP_URI: options.uri,
    maxWorkers: options.maxWorkers,
    logLevel: 'warn',
  });
  let client: ClusterRpcClient | undefined;
  try {
    await container.start();
    if (options.replyLevers) {
      // The container's one RpcConsumer; set before the first request, so every reply measured uses the levers.
      container.shared<RpcConsumer>('rpc-consumer', () => {
        throw new Error('the echo service has no RpcConsumer');
      }).replyLevers = options.replyLevers;
    }
    client = await ClusterRpcClient.connect({ uri: options.uri, directReplies: options.directReplies ?? false });
    const replyQueue = replyQueueOf(client);
    if (replyQueue) options.onQueue(replyQueue);
  } catch (error) {
    await container.kill().catch(() => undefined);
    throw error;
  }
  const connected = client;
  const echo = connected.service<EchoApi>(serviceName);
  return {
    label: options.label ?? 'shimeji',
    container,
    call: (payload) => echo.echo(payload),
    close: async () => {
      await connected.close().catch(() => undefined);
      await container.stop();
    },
  };
}
