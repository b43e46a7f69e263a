// Services the events contract runs against: a shop that dispatches, listeners of each kind.
import { EventDispatcher, eventHandler, inject, rpc, service } from '../../src';
import { ContextProbe } from './contract-services';

export const seen: { handler: string; payload: unknown; data?: unknown; stack?: readonly string[] }[] = [];
export const failures = { remaining: 0 };
/** Flipped by a test to play the handler being fixed. */
export const strictness = { acceptPoison: false };

@service('shop')
export class ShopService {
  dispatch = inject(new EventDispatcher());

  @rpc async sell(item: string) {
    this.dispatch('item_sold', { item });
    return 'sold';
  }

  @rpc async sellThenFail(item: string) {
    this.dispatch('item_sold', { item });
    throw new Error('till jammed');
  }
}

@service('ledger')
export class LedgerService {
  ctx = inject(new ContextProbe());

  @eventHandler('shop', 'item_sold')
  async record(payload: { item: string }) {
    seen.push({ handler: 'ledger.record', payload, data: this.ctx.data, stack: this.ctx.callIdStack });
  }
}

@service('stock')
export class StockService {
  @eventHandler('shop', 'item_sold')
  async decrement(payload: unknown) {
    seen.push({ handler: 'stock.decrement', payload });
  }
}

@service('screens')
export class ScreensService {
  @eventHandler('shop', 'item_sold', { handlerType: 'broadcast' })
  async show(payload: unknown) {
    seen.push({ handler: 'screens.show', payload });
  }
}

@service('auditor_a')
export class AuditorA {
  @eventHandler('shop', 'item_sold', { handlerType: 'singleton' })
  async audit(payload: unknown) {
    seen.push({ handler: 'auditor_a.audit', payload });
  }
}

@service('auditor_b')
export class AuditorB {
  @eventHandler('shop', 'item_sold', { handlerType: 'singleton' })
  async audit(payload: unknown) {
    seen.push({ handler: 'auditor_b.audit', payload });
  }
}

@service('flaky')
export class FlakyService {
  @eventHandler('shop', 'item_sold', { requeueOnError: true })
  async retrying(payload: { item: string }) {
    if (payload.item.startsWith('poison') || failures.remaining-- > 0) throw new Error(`cannot handle ${payload.item}`);
    seen.push({ handler: 'flaky.retrying', payload });
  }
}

@service('strict')
export class StrictService {
  @eventHandler('shop', 'item_sold')
  async once(payload: { item: string }) {
    if (payload.item.startsWith('poison') && !strictness.acceptPoison) throw new Error(`refused ${payload.item}`);
    seen.push({ handler: 'strict.once', payload });
  }
}
