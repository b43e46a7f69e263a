import { rpc, service, timer } from '../../src';
import { containerFactory, testBrokerUri } from '../../src/testing';

const runs: { name: string; at: number }[] = [];
const overlap = { now: 0, max: 0 };

@service('ticker')
class Ticker {
  @timer(0.05)
  async tick() {
    runs.push({ name: 'tick', at: Date.now() });
  }

  @rpc async noop() {}
}

@service('eager_ticker')
class EagerTicker {
  @timer(10, { eager: true })
  async atOnce() {
    runs.push({ name: 'atOnce', at: Date.now() });
  }
}

@service('slow_ticker')
class SlowTicker {
  @timer(0.01)
  async slow() {
    overlap.now++;
    overlap.max = Math.max(overlap.max, overlap.now);
    await new Promise((resolve) => setTimeout(resolve, 60));
    overlap.now--;
    runs.push({ name: 'slow', at: Date.now() });
  }
}

@service('failing_ticker')
class FailingTicker {
  @timer(0.02)
  async fails() {
    runs.push({ name: 'fails', at: Date.now() });
    throw new Error('every time');
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const count = (name: string) => runs.filter((r) => r.name === name).length;

describe('the timer entrypoint', () => {
  const containers = containerFactory();
  beforeEach(() => {
    runs.length = 0;
  });

  it('runs the method once per interval, the first one interval after start', async () => {
    const container = containers(Ticker, { AMQP_URI: testBrokerUri('memory') });
    const started = Date.now();
    await container.start();
    await sleep(280);
    await container.stop();
    expect(count('tick')).toBeGreaterThanOrEqual(3);
    expect(count('tick')).toBeLessThanOrEqual(6);
    expect(runs[0]!.at - started).toBeGreaterThanOrEqual(45);
  });

  it('runs at once when eager', async () => {
    const container = containers(EagerTicker, { AMQP_URI: testBrokerUri('memory') });
    await container.start();
    await sleep(50);
    expect(count('atOnce')).toBe(1);
  });

  it('never overlaps itself when a run takes longer than the interval', async () => {
    overlap.max = 0;
    const container = containers(SlowTicker, { AMQP_URI: testBrokerUri('memory') });
    await container.start();
    await sleep(250);
    await container.stop();
    expect(overlap.max).toBe(1);
    expect(count('slow')).toBeGreaterThanOrEqual(3);
  });

  it('lets the run in progress finish on stop, and starts no other', async () => {
    const container = containers(SlowTicker, { AMQP_URI: testBrokerUri('memory') });
    await container.start();
    await sleep(30);
    await container.stop();
    const after = count('slow');
    expect(overlap.now).toBe(0);
    await sleep(100);
    expect(count('slow')).toBe(after);
  });

  it('goes on after a run that failed', async () => {
    const container = containers(FailingTicker, { AMQP_URI: testBrokerUri('memory') });
    await container.start();
    await sleep(120);
    await container.stop();
    expect(count('fails')).toBeGreaterThanOrEqual(3);
  });
});
