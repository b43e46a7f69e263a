// Dispatching events from code that is not a service (scripts, the shell, facades): Nameko's
// `event_dispatcher(config)(service, event_type, payload)`.
import { CALL_ID_STACK_HEADER, DEFAULTS, eventExchangeName } from '../constants';
import { eventMessage } from '../event-dispatcher';
import { createTransport } from '../transport/create-transport';
import type { Transport } from '../transport/transport';
import { type ContextData, contextToHeaders } from '../worker-context';

export interface ClusterEventDispatcherOptions {
  uri?: string;
  transport?: Transport;
  heartbeatSeconds?: number;
}

export class ClusterEventDispatcher {
  private readonly declared = new Set<string>();

  private constructor(readonly transport: Transport, private readonly ownsTransport: boolean) {}

  static async connect(options: ClusterEventDispatcherOptions = {}): Promise<ClusterEventDispatcher> {
    const transport =
      options.transport ??
      createTransport(options.uri ?? process.env.AMQP_URI ?? DEFAULTS.amqpUri, {
        heartbeatSeconds: options.heartbeatSeconds ?? DEFAULTS.heartbeatSeconds,
        connectionName: 'standalone event dispatcher (shimeji)',
      });
    if (!options.transport) await transport.connect();
    return new ClusterEventDispatcher(transport, !options.transport);
  }

  /** Publishes `eventType` as if `source` had dispatched it; resolves once the broker has it. */
  async dispatch(source: string, eventType: string, payload: unknown, contextData?: ContextData): Promise<void> {
    const exchange = eventExchangeName(source);
    if (!this.declared.has(exchange)) {
      await this.transport.assertExchange(exchange, { durable: true });
      this.declared.add(exchange);
    }
    // No context unless given: Nameko's standalone dispatcher sends no headers.
    const headers = contextData ? contextToHeaders(contextData, []) : {};
    if (contextData) delete headers[CALL_ID_STACK_HEADER];
    await this.transport.publish(eventMessage(source, eventType, payload, headers));
  }

  async close(): Promise<void> {
    if (this.ownsTransport) await this.transport.close();
  }
}
