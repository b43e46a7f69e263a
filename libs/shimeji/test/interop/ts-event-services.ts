// Our side of the live events test: `tsevents` dispatches events that Nameko's `pylistener`
// handles, and handles (once per handler type) the events Nameko's `pyecho` dispatches;
// `tsauditor` shares a singleton queue with a Nameko handler.
import { ContextProbe } from '../contract/contract-services';
import { EventDispatcher, eventHandler, inject, rpc, service } from '../../src';

/** What a handler's worker saw: the payload and the context the event carried. */
export interface Seen {
  payload: unknown;
  data: Readonly<Record<string, unknown>>;
  callIdStack: readonly string[];
}

@service('tsevents')
export class TsEventsService {
  dispatch = inject(new EventDispatcher());
  ctx = inject(new ContextProbe());

  @rpc async announce(eventType: string, payload: unknown) {
    this.dispatch(eventType, payload);
  }

  @eventHandler('pyecho', 'py_happened')
  async onPool(payload: unknown): Promise<Seen> {
    return this.seen(payload);
  }

  @eventHandler('pyecho', 'py_happened', { handlerType: 'broadcast' })
  async onBroadcast(payload: unknown): Promise<Seen> {
    return this.seen(payload);
  }

  @eventHandler('pyecho', 'py_happened', { handlerType: 'singleton' })
  async onSingleton(payload: unknown): Promise<Seen> {
    return this.seen(payload);
  }

  private seen(payload: unknown): Seen {
    return { payload, data: this.ctx.data, callIdStack: this.ctx.callIdStack };
  }
}

/** Takes its share of `tsevents`' shared_happened events from the singleton queue Nameko's pylistener also consumes. */
@service('tsauditor')
export class TsAuditorService {
  @eventHandler('tsevents', 'shared_happened', { handlerType: 'singleton' })
  async onShared(payload: unknown) {
    return payload;
  }
}
