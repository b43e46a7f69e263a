// `@timer(30)`: run a method every 30 seconds. A run never overlaps the previous one: the next
// begins one interval after the previous began, or at once if that one took longer.
import { ContainerStopping } from './exceptions';
import { Entrypoint, type EntrypointOptions } from './extensions';
import { entrypointDecorator } from './service-definition';

export interface TimerOptions extends EntrypointOptions {
  /** Run once as soon as the service starts, instead of one interval later. */
  eager?: boolean;
}

export class Timer extends Entrypoint {
  private stopping = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(readonly intervalSeconds: number, readonly timerOptions: TimerOptions = {}) {
    super(timerOptions);
    if (!(intervalSeconds > 0)) throw new Error(`a timer's interval must be a positive number of seconds, got ${intervalSeconds}`);
  }

  override describe(): string {
    return `timer ${this.methodName} every ${this.intervalSeconds} s${this.timerOptions.eager ? ' (eager)' : ''}`;
  }

  override async start(): Promise<void> {
    this.stopping = false;
    this.loop = this.run();
  }

  /** No new run begins; a run in progress completes. */
  override async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  override async kill(): Promise<void> {
    this.stopping = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    const intervalMs = this.intervalSeconds * 1000;
    let next = Date.now() + (this.timerOptions.eager ? 0 : intervalMs);
    while (!this.stopping) {
      await this.sleepUntil(next);
      if (this.stopping) return;
      const began = Date.now();
      try {
        // Errors are the worker's own: logged by the container, and the timer goes on.
        await this.container.spawnWorker(this, []);
      } catch (error) {
        if (error instanceof ContainerStopping) return;
        this.container.logger.error({ err: error, method: this.methodName }, 'timer could not run');
      }
      next = Math.max(began + intervalMs, Date.now());
    }
  }

  private sleepUntil(when: number): Promise<void> {
    const ms = when - Date.now();
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timeout = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timeout);
        resolve();
      }
      this.wake = done;
    });
  }
}

/** Runs the method every `intervalSeconds`: `@timer(60, { eager: true }) async sweep() {…}`. */
export function timer(intervalSeconds: number, options: TimerOptions = {}) {
  return entrypointDecorator<TimerOptions>(() => new Timer(intervalSeconds, options))(options);
}
