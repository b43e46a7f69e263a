// Our counterparts of the capture's event scenario (module `wire_service`): `echo.emit` dispatches
// `thing_happened`, and `listener` handles it once per handler type. Each test hosts them under
// unique names, so parallel test files never share an exchange or a queue.
import { EventDispatcher, eventHandler, inject, rpc, service } from '../../src';
import { ContextProbe } from '../contract/contract-services';

export const EVENT_TYPE = 'thing_happened';

export function emitterService(name: string) {
  @service(name)
  class Emitter {
    dispatch = inject(new EventDispatcher());

    /** Python: `self.dispatch('thing_happened', payload)`. */
    @rpc
    async emit(payload: unknown) {
      this.dispatch(EVENT_TYPE, payload);
    }
  }
  return Emitter;
}

/** What a handler's worker saw: the payload and the context the event carried. */
export interface Seen {
  payload: unknown;
  data: Readonly<Record<string, unknown>>;
  callIdStack: readonly string[];
}

export function listenerService(name: string, source: string) {
  @service(name)
  class Listener {
    ctx = inject(new ContextProbe());

    @eventHandler(source, EVENT_TYPE)
    async on_pool(payload: unknown): Promise<Seen> {
      return this.seen(payload);
    }

    @eventHandler(source, EVENT_TYPE, { handlerType: 'singleton' })
    async on_singleton(payload: unknown): Promise<Seen> {
      return this.seen(payload);
    }

    @eventHandler(source, EVENT_TYPE, { handlerType: 'broadcast' })
    async on_broadcast(payload: unknown): Promise<Seen> {
      return this.seen(payload);
    }

    private seen(payload: unknown): Seen {
      return { payload, data: this.ctx.data, callIdStack: this.ctx.callIdStack };
    }
  }
  return Listener;
}
