// What this instance recently did, by message: so a message the broker delivers again after a
// lost connection (its ack never arrived) is answered from memory instead of being run twice.
// Redelivery follows a lost connection within seconds, so the last few outcomes are enough.

interface Running<T> {
  promise: Promise<T | undefined>;
  resolve(outcome: T | undefined): void;
}

export class RecentOutcomes<T> {
  private readonly done = new Map<string, T>();
  private readonly running = new Map<string, Running<T>>();
  // Oldest first, as a ring: evicting is one array write, not a walk over the map.
  private readonly order: (string | undefined)[];
  private next = 0;

  constructor(capacity = 1_000) {
    this.order = new Array<string | undefined>(capacity);
  }

  /** The outcome of `key` if it completed here lately; its promise while it still runs. */
  lookup(key: string): T | Promise<T | undefined> | undefined {
    return this.done.get(key) ?? this.running.get(key)?.promise;
  }

  /** `key` is being handled here. */
  begin(key: string): void {
    let resolve!: (outcome: T | undefined) => void;
    const promise = new Promise<T | undefined>((r) => (resolve = r));
    this.running.set(key, { promise, resolve });
  }

  /** `key` is settled with `outcome`; `undefined` when it went back to the queue unsettled. */
  finish(key: string, outcome: T | undefined): void {
    this.running.get(key)?.resolve(outcome);
    this.running.delete(key);
    if (outcome === undefined) return;
    const evicted = this.order[this.next];
    if (evicted !== undefined) this.done.delete(evicted);
    this.order[this.next] = key;
    this.next = (this.next + 1) % this.order.length;
    this.done.set(key, outcome);
  }
}
