// A service that only listens: what an integration test uses to see the events the service under
// test dispatched, as its real consumers would receive them over the broker.
import { eventHandler } from '../event-handler';
import { service, type ServiceClass } from '../service-definition';
import { eventually } from './waiting';

export interface RecordedEvent {
  type: string;
  payload: any;
}

export interface EventRecorder {
  /** The listening service: run it in a container of its own beside the service under test. */
  readonly service: ServiceClass;
  /** Every event received so far, in order of arrival. */
  readonly events: RecordedEvent[];
  /**
   * The payloads of the events of `type` that mention `id`, once at least one arrived and the
   * stream settled for `settleMs` (so a duplicate that would follow is counted too); fails after
   * `timeoutMs` saying what it waited for.
   */
  about(type: string, id: string, settleMs?: number, timeoutMs?: number): Promise<any[]>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Records the events `source` dispatches of the given types (service-pool delivery, one queue a
 * type): `const recorder = eventRecorder('payment', ['payment_taken'])`.
 */
export function eventRecorder(source: string, eventTypes: readonly string[], name = `${source}_listener`): EventRecorder {
  const events: RecordedEvent[] = [];
  // One subclass per event type, each adding one handler: the entrypoints add up through the
  // decorator metadata's inheritance, as they do for any service subclass.
  let listener: ServiceClass = class {};
  for (const type of eventTypes) {
    const Base = listener;
    const method = `on_${type}`;
    listener = class extends Base {
      @eventHandler(source, type)
      async [method](payload: unknown): Promise<void> {
        events.push({ type, payload });
      }
    };
  }
  @service(name)
  class Recorder extends listener {}

  return {
    service: Recorder,
    events,
    async about(type, id, settleMs = 300, timeoutMs = 10_000) {
      const matching = () => events.filter((e) => e.type === type && JSON.stringify(e.payload).includes(id));
      await eventually(`${type} about ${id}`, () => (matching().length > 0 ? true : undefined), timeoutMs);
      await sleep(settleMs);
      return matching().map((e) => e.payload);
    },
  };
}
