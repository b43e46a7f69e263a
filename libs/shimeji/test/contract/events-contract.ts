// One contract for events, run on every transport.
import { randomUUID } from 'node:crypto';
import {
  ClusterEventDispatcher,
  createTransport,
  type Delivery,
  inspectDeadLetters,
  replayDeadLetters,
  type ServiceClass,
} from '../../src';
import { containerFactory, rpcClientFactory, testBrokerUri } from '../../src/testing';
import {
  AuditorA,
  AuditorB,
  failures,
  FlakyService,
  LedgerService,
  ScreensService,
  seen,
  ShopService,
  StockService,
  StrictService,
  strictness,
} from './event-services';

const waitFor = async (check: () => boolean, timeoutMs = 5000): Promise<void> => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));

export function eventsContract(kind: 'amqp' | 'memory'): void {
  let uri: string;
  const containers = containerFactory();
  const clients = rpcClientFactory();
  const tag = () => `${kind}-${randomUUID()}`;

  beforeEach(() => {
    uri = testBrokerUri(kind);
    seen.length = 0;
  });

  const start = async (cls: ServiceClass, config: Record<string, unknown> = {}) => {
    const container = containers(cls, { AMQP_URI: uri, eventRetryDelayMs: 0, ...config });
    await container.start();
    return container;
  };
  const sell = async (items: string[], contextData?: Record<string, unknown>) => {
    const client = await clients({ uri, contextData });
    for (const item of items) await client.call('shop', 'sell', [item]);
  };
  const handled = (handler: string, items: string[]) =>
    seen.filter((s) => s.handler === handler && items.includes((s.payload as { item: string }).item)).length;

  const deadLetters = async (queue: string, count: number) => {
    const transport = createTransport(uri, { heartbeatSeconds: 5 });
    await transport.connect();
    const found: Delivery[] = [];
    await transport.assertQueue(`${queue}.dead-letter`, { durable: true });
    await transport.consume(`${queue}.dead-letter`, (d) => (found.push(d), d.ack()), { prefetch: 0 });
    await waitFor(() => found.length >= count);
    await transport.close();
    return found;
  };

  describe(`events over the ${kind} transport`, () => {
    it('gives each listening service one copy, shared among its instances (service pool)', async () => {
      await start(ShopService);
      await start(LedgerService);
      await start(LedgerService);
      await start(StockService);
      const items = Array.from({ length: 10 }, tag);
      await sell(items);
      await waitFor(() => handled('ledger.record', items) === 10 && handled('stock.decrement', items) === 10);
      await settle();
      expect([handled('ledger.record', items), handled('stock.decrement', items)]).toEqual([10, 10]);
    });

    it('gives every instance a copy (broadcast)', async () => {
      await start(ShopService);
      await start(ScreensService);
      await start(ScreensService);
      const items = Array.from({ length: 5 }, tag);
      await sell(items);
      await waitFor(() => handled('screens.show', items) === 10);
      await settle();
      expect(handled('screens.show', items)).toBe(10);
    });

    it('gives exactly one listener in the cluster a copy (singleton)', async () => {
      await start(ShopService);
      await start(AuditorA);
      await start(AuditorB);
      const items = Array.from({ length: 10 }, tag);
      await sell(items);
      await waitFor(() => handled('auditor_a.audit', items) + handled('auditor_b.audit', items) === 10);
      await settle();
      expect(handled('auditor_a.audit', items) + handled('auditor_b.audit', items)).toBe(10);
    });

    it('dispatches nothing for work that failed', async () => {
      await start(ShopService);
      await start(LedgerService);
      const client = await clients({ uri });
      const item = tag();
      await expect(client.call('shop', 'sellThenFail', [item])).rejects.toThrow('till jammed');
      const later = tag();
      await sell([later]);
      await waitFor(() => handled('ledger.record', [later]) === 1);
      await settle();
      expect(handled('ledger.record', [item])).toBe(0);
    });

    it('carries the dispatching worker’s context to the handler', async () => {
      await start(ShopService);
      await start(LedgerService);
      const item = tag();
      await sell([item], { user_id: 'u-7', language: 'fr' });
      await waitFor(() => handled('ledger.record', [item]) === 1);
      const entry = seen.find((s) => (s.payload as { item: string }).item === item);
      expect(entry!.data).toEqual({ user_id: 'u-7', language: 'fr' });
      expect(entry!.stack).toHaveLength(3);
      expect(entry!.stack![1]).toMatch(/^shop\.sell\./);
      expect(entry!.stack![2]).toMatch(/^ledger\.record\./);
    });

    it('takes events from the standalone dispatcher', async () => {
      await start(LedgerService);
      const dispatcher = await ClusterEventDispatcher.connect({ uri });
      const item = tag();
      await dispatcher.dispatch('shop', 'item_sold', { item });
      await dispatcher.close();
      await waitFor(() => handled('ledger.record', [item]) === 1);
      expect(seen.find((s) => (s.payload as { item: string }).item === item)!.data).toEqual({});
    });

    it('retries a failing handler a bounded number of times, then dead-letters the event with the reason', async () => {
      await start(ShopService);
      await start(FlakyService, { eventMaxAttempts: 3 });
      failures.remaining = 2;
      const recovers = tag();
      await sell([recovers]);
      await waitFor(() => handled('flaky.retrying', [recovers]) === 1);
      const poison = `poison-${tag()}`;
      const after = tag();
      await sell([poison, after]);
      await waitFor(() => handled('flaky.retrying', [after]) === 1);
      const [dead] = await deadLetters('evt-shop-item_sold--flaky.retrying', 1);
      expect(JSON.parse(dead!.body.toString())).toEqual({ item: poison });
      expect(String(dead!.properties.headers!['x-shimeji-dead-letter-reason'])).toContain('failed 3 time(s): Error: cannot handle poison');
    });

    it('waits out the delays of the retry schedule before trying a failed event again', async () => {
      await start(ShopService);
      await start(FlakyService, { eventRetrySchedule: ['150ms', '150ms'], eventRetryDelayMs: undefined });
      failures.remaining = 2;
      const item = tag();
      const sold = Date.now();
      await sell([item]);
      await waitFor(() => handled('flaky.retrying', [item]) === 1);
      expect(Date.now() - sold).toBeGreaterThanOrEqual(300);
      await settle();
      expect(handled('flaky.retrying', [item])).toBe(1);
    });

    it('dead-letters at the first failure when the handler does not ask for retries', async () => {
      await start(ShopService);
      await start(StrictService);
      const poison = `poison-${tag()}`;
      const after = tag();
      await sell([poison, after]);
      await waitFor(() => handled('strict.once', [after]) === 1);
      const [dead] = await deadLetters('evt-shop-item_sold--strict.once', 1);
      expect(String(dead!.properties.headers!['x-shimeji-dead-letter-reason'])).toContain('failed 1 time(s)');
    });

    it('lets an operator inspect a dead-lettered event and replay it once the handler is fixed', async () => {
      await start(ShopService);
      await start(StrictService);
      strictness.acceptPoison = false;
      const poison = `poison-${tag()}`;
      await sell([poison]);
      const transport = createTransport(uri, { heartbeatSeconds: 5 });
      await transport.connect();
      try {
        const queue = 'evt-shop-item_sold--strict.once';
        await transport.assertQueue(`${queue}.dead-letter`, { durable: true });
        let letters: Awaited<ReturnType<typeof inspectDeadLetters>> = [];
        // The dead letter arrives once the handler has failed: look until it is there.
        for (let i = 0; i < 100 && !letters.some((l) => l.body.includes(poison)); i++) {
          letters = await inspectDeadLetters(transport, queue, 50);
          await settle(50);
        }
        const letter = letters.find((l) => l.body.includes(poison))!;
        expect(letter).toMatchObject({ originalExchange: 'shop.events', originalRoutingKey: 'item_sold', originalQueue: queue });
        expect(letter.reason).toContain(`refused ${poison}`);
        strictness.acceptPoison = true;
        expect(await replayDeadLetters(transport, queue)).toBeGreaterThanOrEqual(1);
        await waitFor(() => handled('strict.once', [poison]) === 1);
        expect(await inspectDeadLetters(transport, queue)).toEqual([]);
      } finally {
        strictness.acceptPoison = false;
        await transport.close();
      }
    });

    it('shows no dead letters for a queue where nothing ever failed', async () => {
      const transport = createTransport(uri, { heartbeatSeconds: 5 });
      await transport.connect();
      try {
        await expect(inspectDeadLetters(transport, `evt-never-${tag()}`)).resolves.toEqual([]);
        await expect(replayDeadLetters(transport, `evt-never-${tag()}`)).resolves.toBe(0);
      } finally {
        await transport.close();
      }
    });

    it('dead-letters a malformed event at once and goes on with the next', async () => {
      await start(LedgerService);
      const transport = createTransport(uri, { heartbeatSeconds: 5 });
      await transport.connect();
      await transport.publish({
        exchange: 'shop.events',
        routingKey: 'item_sold',
        body: Buffer.from('{not json'),
        properties: { contentType: 'application/json' },
      });
      await transport.close();
      const [dead] = await deadLetters('evt-shop-item_sold--ledger.record', 1);
      expect(String(dead!.properties.headers!['x-shimeji-dead-letter-reason'])).toMatch(/^malformed event/);
      const dispatcher = await ClusterEventDispatcher.connect({ uri });
      const item = tag();
      await dispatcher.dispatch('shop', 'item_sold', { item });
      await dispatcher.close();
      await waitFor(() => handled('ledger.record', [item]) === 1);
    });
  });
}
