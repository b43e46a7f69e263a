// Publishing events: `dispatch = inject(new EventDispatcher())`, then `this.dispatch('order_paid', {...})`
// in a worker. Events go to the topic exchange `<service>.events` with the event type as routing
// key, as Nameko's do. They are held until the worker succeeds: work that failed sends nothing.
import { randomUUID } from 'node:crypto';
import { eventExchangeOptions } from './config';
import { eventExchangeName } from './constants';
import { DependencyProvider } from './extensions';
import { producerHeaders, tracingEnabled } from './tracing';
import type { OutgoingMessage } from './transport/transport';
import type { WorkerContext } from './worker-context';
import { encodeJson, jsonProperties } from './wire';

/** What a worker calls to dispatch an event; the event is published if and when the worker succeeds. */
export type Dispatch = (eventType: string, payload: unknown) => void;

/** Builds the message of an event; shared by the dependency and the standalone dispatcher. */
export function eventMessage(
  source: string,
  eventType: string,
  payload: unknown,
  headers: Record<string, unknown>,
): OutgoingMessage {
  // Any string Nameko would route, within AMQP's limit for a routing key.
  if (typeof eventType !== 'string' || eventType.length === 0 || Buffer.byteLength(eventType) > 255) {
    throw new TypeError(`event type must be a non-empty string of at most 255 bytes, got ${JSON.stringify(eventType)}`);
  }
  return {
    exchange: eventExchangeName(source),
    routingKey: eventType,
    body: encodeJson(payload),
    // Nameko's properties, plus a message id so consumers can recognise a duplicate.
    properties: jsonProperties({ messageId: randomUUID(), headers: tracingEnabled() ? producerHeaders(source, eventType, headers) : headers }),
  };
}

export class EventDispatcher extends DependencyProvider<Dispatch> {
  private readonly held = new WeakMap<WorkerContext, OutgoingMessage[]>();

  override async setup(): Promise<void> {
    await this.container.transport.assertExchange(
      eventExchangeName(this.container.serviceName),
      eventExchangeOptions(this.container.config),
    );
  }

  getDependency(workerCtx: WorkerContext): Dispatch {
    const messages: OutgoingMessage[] = [];
    this.held.set(workerCtx, messages);
    return (eventType, payload) => {
      messages.push(eventMessage(this.container.serviceName, eventType, payload, workerCtx.toHeaders()));
    };
  }

  /** Publishes the worker's events with confirms once it succeeded; a failed publish fails the worker. */
  override async workerResult(workerCtx: WorkerContext, _result: unknown, error: unknown): Promise<void> {
    const messages = this.held.get(workerCtx) ?? [];
    this.held.delete(workerCtx);
    if (messages.length === 0) return;
    if (error !== undefined) {
      this.container.logger.info(
        { callId: workerCtx.callId, events: messages.map((m) => m.routingKey) },
        'worker failed: its events were not dispatched',
      );
      return;
    }
    await Promise.all(messages.map((message) => this.container.transport.publish(message)));
    for (const message of messages) this.container.metrics?.eventsDispatched.inc({ service: this.container.serviceName, type: message.routingKey });
  }
}
