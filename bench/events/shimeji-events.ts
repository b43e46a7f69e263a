// The framework side: listening services with `@eventHandler` in ServiceContainers, one per
// delivery mode, and two ways to dispatch.
// - `ClusterEventDispatcher.dispatch(source, type, payload)`: the standalone dispatcher; a
//   dispatch resolves when the broker confirms the event. The headline rows use it, because it
//   does what the baseline's publisher does and nothing else.
// - `EventDispatcher` in a worker: the emitting service's worker calls `this.dispatch(...)`;
//   the event is published, with confirms, when the worker succeeds. The worker is started by
//   `container.spawnWorker` through a bench-only entrypoint, so no RPC is measured with it.
import {
  ClusterEventDispatcher,
  Entrypoint,
  entrypointDecorator,
  type EntrypointOptions,
  EventDispatcher,
  eventHandler,
  type EventHandler,
  type HandlerType,
  inject,
  service,
  ServiceContainer,
} from '@platform/shimeji';
import type { Payload } from '../rpc/payload';
import type { DeliveryTracker } from './tracker';

const EVENT_TYPE = 'bench_event';

export interface ShimejiEventsOptions {
  uri: string;
  runId: string;
  maxWorkers: number;
  onQueue(name: string): void;
  onExchange(name: string): void;
  onCloser(close: () => Promise<void>): void;
}

/** Fires a worker when the benchmark says so: `container.spawnWorker(entrypoint, [payload])`. */
class BenchTrigger extends Entrypoint {}
const trigger = entrypointDecorator<EntrypointOptions>(() => new BenchTrigger());

function defineListener(name: string, source: string, handlerType: HandlerType, onEvent: (payload: unknown) => void) {
  @service(name)
  class BenchListener {
    @eventHandler(source, EVENT_TYPE, { handlerType })
    async handle(payload: unknown): Promise<void> {
      onEvent(payload);
    }
  }
  return BenchListener;
}

function defineEmitter(name: string) {
  @service(name)
  class BenchEmitter {
    dispatch = inject(new EventDispatcher());

    @trigger
    emit(payload: Payload): void {
      this.dispatch(EVENT_TYPE, payload);
    }
  }
  return BenchEmitter;
}

export class ShimejiEvents {
  private constructor(
    private readonly options: ShimejiEventsOptions,
    private readonly dispatcher: ClusterEventDispatcher,
  ) {}

  static async start(options: ShimejiEventsOptions): Promise<ShimejiEvents> {
    const dispatcher = await ClusterEventDispatcher.connect({ uri: options.uri });
    options.onCloser(() => dispatcher.close());
    return new ShimejiEvents(options, dispatcher);
  }

  /**
   * Starts `tracker.consumers` instances of a service listening to `source`'s events with one
   * handler of the given type; instance i reports to `tracker.handled(i, …)`.
   */
  async listen(source: string, listener: string, handlerType: HandlerType, tracker: DeliveryTracker): Promise<void> {
    const { options } = this;
    // Nameko's queue names (see libs/shimeji/README.md), known before anything is declared so a
    // failed start still gets them deleted. Broadcast queues are exclusive: they go with their connection.
    const queue = handlerType === 'singleton' ? `evt-${source}-${EVENT_TYPE}` : `evt-${source}-${EVENT_TYPE}--${listener}.handle`;
    if (handlerType !== 'broadcast') {
      options.onQueue(queue);
      options.onQueue(`${queue}.dead-letter`);
    }
    options.onExchange(`${source}.events`);
    for (let index = 0; index < tracker.consumers; index++) {
      const cls = defineListener(listener, source, handlerType, (payload) => tracker.handled(index, payload));
      const container = await this.startContainer(cls);
      for (const entrypoint of container.entrypoints) {
        const declared = (entrypoint as EventHandler).queue;
        if (declared && handlerType !== 'broadcast') options.onQueue(declared);
      }
    }
  }

  /** Dispatches as `source` through the standalone dispatcher; resolves once the broker has it. */
  dispatcherFor(source: string): (payload: Payload) => Promise<void> {
    return (payload) => this.dispatcher.dispatch(source, EVENT_TYPE, payload);
  }

  /** Starts an emitting service; its workers dispatch through `EventDispatcher`. */
  async emitter(name: string): Promise<(payload: Payload) => Promise<void>> {
    this.options.onExchange(`${name}.events`);
    const container = await this.startContainer(defineEmitter(name));
    const entrypoint = container.entrypoints.find((e) => e.methodName === 'emit')!;
    return async (payload) => {
      const { error } = await container.spawnWorker(entrypoint, [payload]);
      if (error !== undefined) throw error;
    };
  }

  private async startContainer(cls: new () => object): Promise<ServiceContainer> {
    const container = new ServiceContainer(cls, { AMQP_URI: this.options.uri, maxWorkers: this.options.maxWorkers, logLevel: 'warn' });
    // Registered before start: a container that failed half way still has to be killed.
    this.options.onCloser(() => container.stop());
    await container.start();
    return container;
  }
}
