// Which events were handled where. Each event must reach every expected consumer (one for a
// service pool or a singleton, each instance for broadcast) exactly once: a delivery that comes
// twice, to the wrong place, with a different body or for an event nobody sent is a problem, and
// any problem fails the benchmark.
import { isDeepStrictEqual } from 'node:util';
import type { Payload } from '../rpc/payload';

interface Waiting {
  sent: Payload;
  /** Bit i set: consumer i has handled it. */
  seen: number;
  resolve(got: unknown): void;
}

export class DeliveryTracker {
  readonly problems: string[] = [];
  /** Handler runs counted, per consumer. */
  readonly deliveries: number[];
  private readonly waiting = new Map<number, Waiting>();
  private readonly completed = new Set<number>();
  private readonly all: number;

  constructor(readonly label: string, readonly consumers: number) {
    this.deliveries = new Array<number>(consumers).fill(0);
    this.all = (1 << consumers) - 1;
  }

  /** Before dispatching `sent`: resolves, with what a handler got, once every consumer handled it. */
  expect(sent: Payload): Promise<unknown> {
    return new Promise((resolve) => this.waiting.set(sent.id, { sent, seen: 0, resolve }));
  }

  /** Called by consumer `index`'s handler with the payload it received. */
  handled(index: number, got: unknown): void {
    this.deliveries[index]!++;
    const id = (got as Partial<Payload> | null)?.id;
    const entry = typeof id === 'number' ? this.waiting.get(id) : undefined;
    if (!entry) {
      const what = typeof id === 'number' && this.completed.has(id) ? 'again after every consumer had it' : 'for an event never dispatched';
      this.problem(`consumer ${index + 1} handled event ${String(id)} ${what}`);
      return;
    }
    const bit = 1 << index;
    if (entry.seen & bit) {
      this.problem(`consumer ${index + 1} handled event ${id} twice`);
      return;
    }
    if (!isDeepStrictEqual(entry.sent, got)) {
      this.problem(`consumer ${index + 1} got a different body for event ${id}: ${JSON.stringify(got)}`);
    }
    entry.seen |= bit;
    if (entry.seen === this.all) {
      this.waiting.delete(id!);
      this.completed.add(id!);
      entry.resolve(got);
    }
  }

  /** The final count: every dispatched event handled by every consumer exactly once, nothing pending. */
  verify(dispatched: number): string[] {
    const found = [...this.problems];
    if (this.waiting.size > 0) found.push(`${this.waiting.size} event(s) not handled by every consumer`);
    if (this.completed.size !== dispatched) found.push(`${dispatched} dispatched but ${this.completed.size} completed`);
    this.deliveries.forEach((count, i) => {
      if (count !== dispatched) found.push(`consumer ${i + 1} ran ${count} times for ${dispatched} events`);
    });
    return found;
  }

  private problem(text: string): void {
    // The first few are enough to diagnose; a flood would only eat memory.
    if (this.problems.length < 20) this.problems.push(`${this.label}: ${text}`);
  }
}
