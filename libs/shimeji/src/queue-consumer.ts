// What every queue-fed entrypoint does around its own handling, as in Nameko's QueueConsumer
// (nameko/messaging.py): consume with the container's prefetch, count messages in flight so a
// stop can drain them, remember recent outcomes so a redelivered message is not run twice, and
// dead-letter what cannot be processed, handing it back to the queue if even that fails.
// RpcConsumer and EventHandler each own one and only say how to handle a message.
import { deadLetter } from './dead-letter-queue';
import type { Extension } from './extensions';
import { InFlight } from './in-flight';
import { RecentOutcomes } from './recent-outcomes';
import type { Consumer, Delivery } from './transport/transport';

export class QueueConsumer<Outcome> {
  private consumer?: Consumer;
  private readonly inFlight = new InFlight();
  private readonly recent = new RecentOutcomes<Outcome>();
  private cancelled = false;
  private queue = '';

  /**
   * `handle` settles every message it is given (ack, nack or dead-letter); a rejection is a bug,
   * logged. `owner` is the extension the consumer works for: its container gives the transport,
   * the prefetch and the logger.
   */
  constructor(
    private readonly owner: Extension,
    private readonly handle: (delivery: Delivery) => Promise<void>,
  ) {}

  /** True from a stop or kill until the next start: work not yet begun should go back to the queue. */
  get stopping(): boolean {
    return this.cancelled;
  }

  async start(queue: string): Promise<void> {
    const { transport, maxWorkers } = this.owner.container;
    this.cancelled = false;
    this.queue = queue;
    this.consumer = await transport.consume(queue, this.track, { prefetch: maxWorkers });
  }

  /** Stops receiving; messages already received can still be settled. */
  async cancel(): Promise<void> {
    this.cancelled = true;
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.cancel();
  }

  /** Stops receiving, then waits until every message already received is settled. */
  async drain(): Promise<void> {
    await this.cancel();
    await this.inFlight.idle();
  }

  /**
   * Runs `run` once per `key` on this instance: a redelivered message whose key completed here
   * lately (its ack was lost with the connection) gets `replay` of the earlier outcome instead.
   * `run` resolves to the outcome to remember, or `undefined` when the message went back to the
   * queue unsettled. Without a key, `run` simply runs.
   */
  async once(
    key: string | undefined,
    redelivered: boolean,
    run: () => Promise<Outcome | undefined>,
    replay: (earlier: Outcome) => Promise<void>,
  ): Promise<void> {
    if (key === undefined) {
      await run();
      return;
    }
    if (redelivered) {
      const earlier = await this.recent.lookup(key);
      if (earlier !== undefined) {
        await replay(earlier);
        return;
      }
    }
    this.recent.begin(key);
    let outcome: Outcome | undefined;
    try {
      outcome = await run();
    } finally {
      this.recent.finish(key, outcome);
    }
  }

  /**
   * Moves the message to the dead-letter queue of `source` with the reason. Says whether it did;
   * when it could not, the message goes back to the queue rather than being lost.
   */
  async deadLetter(source: string, delivery: Delivery, reason: string): Promise<boolean> {
    try {
      await deadLetter(this.owner.container.transport, source, delivery, reason);
      return true;
    } catch (error) {
      this.owner.container.logger.error({ err: error, queue: source }, 'could not dead-letter a message; it returns to the queue');
      delivery.nack(true);
      return false;
    }
  }

  // Bound once, not per message: these run on the hot path.
  private readonly track = (delivery: Delivery): void => {
    this.inFlight.begin();
    void this.handle(delivery).then(this.endOne, this.failedOne);
  };

  private readonly endOne = (): void => this.inFlight.end();

  private readonly failedOne = (error: unknown): void => {
    this.owner.container.logger.error({ err: error, queue: this.queue }, 'message handling failed');
    this.inFlight.end();
  };
}
