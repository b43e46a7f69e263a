// What this instance recently did, by message: so a message the broker delivers again after a
// lost connection (its ack never arrived) is answered from memory instead of being run twice.

export class RecentOutcomes<T> {
  private readonly done = new Map<string, T>();
  private readonly running = new Map<string, Promise<T>>();

  constructor(private readonly capacity = 10_000) {}

  /** The outcome of `key` if it ran here lately, or its promise while it still runs. */
  lookup(key: string): T | Promise<T> | undefined {
    return this.done.get(key) ?? this.running.get(key);
  }

  /** Forgets `key`: its message went back to the queue unsettled and must be handled again. */
  forget(key: string): void {
    this.done.delete(key);
  }

  /** Runs `work` once for `key`, remembering its outcome. */
  async run(key: string, work: () => Promise<T>): Promise<T> {
    const running = work();
    this.running.set(key, running);
    try {
      const outcome = await running;
      this.done.set(key, outcome);
      if (this.done.size > this.capacity) this.done.delete(this.done.keys().next().value!);
      return outcome;
    } finally {
      this.running.delete(key);
    }
  }
}
