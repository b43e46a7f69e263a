// Benchmark queues are durable: whatever we declare must be deleted by us, on success, on
// error and on Ctrl-C, or it survives into the next run and the next test suite.
import * as amqp from 'amqplib';

export class Cleanup {
  private readonly queues = new Set<string>();
  private readonly exchanges = new Set<string>();
  private readonly closers: (() => Promise<void>)[] = [];

  constructor(private readonly uri: string) {}

  addQueue(name: string): void {
    this.queues.add(name);
  }

  /** Exchanges of this run only (never shared ones such as `nameko-rpc`). */
  addExchange(name: string): void {
    this.exchanges.add(name);
  }

  addCloser(close: () => Promise<void>): void {
    this.closers.push(close);
  }

  /**
   * Closes everything, then deletes every queue and exchange. Returns what failed; messages still queued at
   * the end only go to `notes`, since a stop that requeues answered requests is the framework's
   * behaviour to report, not a broken measurement (see bench/README.md).
   */
  async run(notes: string[] = []): Promise<string[]> {
    const problems: string[] = [];
    // Each closer shuts its client before its server, so no server is left holding requests.
    for (const close of this.closers.splice(0)) {
      try {
        await close();
      } catch (error) {
        problems.push(`close failed: ${(error as Error).message}`);
      }
    }
    if (this.queues.size === 0 && this.exchanges.size === 0) return problems;
    let connection: amqp.ChannelModel;
    try {
      connection = await amqp.connect(this.uri, { noDelay: true, clientProperties: { connection_name: 'bench cleanup' } });
    } catch (error) {
      return [...problems, `could not connect to delete queues (if they were ever declared) ${[...this.queues].join(', ')}: ${(error as Error).message}`];
    }
    connection.on('error', () => undefined);
    try {
      for (const queue of this.queues) {
        // A channel per queue: a failed delete closes its channel, and must not stop the others.
        try {
          const channel = await connection.createChannel();
          channel.on('error', () => undefined);
          const { messageCount } = await channel.deleteQueue(queue);
          if (messageCount > 0) notes.push(`queue ${queue} still held ${messageCount} message(s) at the end`);
          await channel.close().catch(() => undefined);
        } catch (error) {
          problems.push(`could not delete queue ${queue}: ${(error as Error).message}`);
        }
      }
      this.queues.clear();
      for (const exchange of this.exchanges) {
        try {
          const channel = await connection.createChannel();
          channel.on('error', () => undefined);
          await channel.deleteExchange(exchange);
          await channel.close().catch(() => undefined);
        } catch (error) {
          problems.push(`could not delete exchange ${exchange}: ${(error as Error).message}`);
        }
      }
      this.exchanges.clear();
    } finally {
      await connection.close().catch(() => undefined);
    }
    return problems;
  }
}
