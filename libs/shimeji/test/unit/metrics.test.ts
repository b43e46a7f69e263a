import { Registry } from 'prom-client';
import { ServiceMetrics, rpc, service, startMetricsServer, timer } from '../../src';
import { containerFactory, entrypointWaiter, rpcClientFactory, runnerFactory, testBrokerUri } from '../../src/testing';

class OutOfStock extends Error {}

@service('shop')
class Shop {
  @rpc async buy(item: string) {
    if (item === 'broken') throw new Error('the till is broken');
    return `bought ${item}`;
  }

  @rpc({ expectedExceptions: [OutOfStock] }) async reserve() {
    throw new OutOfStock('none left');
  }

  @rpc async slow(release: number) {
    await new Promise((resolve) => setTimeout(resolve, release));
  }
}

@service('clock')
class Clock {
  @timer(3600, { eager: true }) async tick() {}
}

/** One metric's samples as `{ labels…, value }`, to compare as a whole. */
async function samples(registry: Registry, name: string) {
  const metric = registry.getSingleMetric(name);
  if (!metric) return [];
  // A histogram's values name their series (_bucket, _sum, _count); prom-client's type omits it.
  const { values } = (await metric.get()) as { values: { labels: object; value: number; metricName?: string }[] };
  return values.map(({ labels, value, metricName }) => ({ ...labels, ...(metricName === name ? {} : { metricName }), value }));
}

describe('service metrics', () => {
  const containers = containerFactory();
  const clients = rpcClientFactory();
  const runners = runnerFactory();

  it('counts every worker by outcome and times each one', async () => {
    const registry = new Registry();
    const uri = testBrokerUri('memory');
    await containers(Shop, { AMQP_URI: uri }, { metrics: ServiceMetrics.in(registry) }).start();
    const client = await clients({ uri, timeoutMs: 2000 });

    for (const item of ['tea', 'cake', 'jam']) await client.call('shop', 'buy', [item]);
    await expect(client.call('shop', 'buy', ['broken'])).rejects.toThrow('the till is broken');
    await expect(client.call('shop', 'reserve')).rejects.toThrow('none left');

    const rpcBuy = { service: 'shop', entrypoint: 'buy', kind: 'rpc' };
    expect(await samples(registry, 'shimeji_worker_total')).toEqual(
      expect.arrayContaining([
        { ...rpcBuy, outcome: 'ok', value: 3 },
        { ...rpcBuy, outcome: 'error', value: 1 },
        { service: 'shop', entrypoint: 'reserve', kind: 'rpc', outcome: 'expected_error', value: 1 },
      ]),
    );
    expect(await samples(registry, 'shimeji_worker_total')).toHaveLength(3);
    const counts = (await samples(registry, 'shimeji_worker_duration_seconds')).filter((s) => s.metricName?.endsWith('_count'));
    expect(counts).toEqual(
      expect.arrayContaining([
        { ...rpcBuy, metricName: 'shimeji_worker_duration_seconds_count', value: 4 },
        { service: 'shop', entrypoint: 'reserve', kind: 'rpc', metricName: 'shimeji_worker_duration_seconds_count', value: 1 },
      ]),
    );
  });

  it('labels a timer worker with its kind', async () => {
    const registry = new Registry();
    const container = containers(Clock, { AMQP_URI: testBrokerUri('memory') }, { metrics: ServiceMetrics.in(registry) });
    const ticked = entrypointWaiter(container, 'tick');
    await container.start();
    await ticked;
    expect(await samples(registry, 'shimeji_worker_total')).toEqual([
      { service: 'clock', entrypoint: 'tick', kind: 'timer', outcome: 'ok', value: 1 },
    ]);
  });

  it('shows the workers in flight at the moment of the scrape', async () => {
    const registry = new Registry();
    const uri = testBrokerUri('memory');
    const container = containers(Shop, { AMQP_URI: uri }, { metrics: ServiceMetrics.in(registry) });
    await container.start();
    const client = await clients({ uri, timeoutMs: 2000 });
    const calls = [client.call('shop', 'slow', [300]), client.call('shop', 'slow', [300])];
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await samples(registry, 'shimeji_workers_in_flight')).toEqual([{ service: 'shop', value: 2 }]);
    await Promise.all(calls);
    expect(await samples(registry, 'shimeji_workers_in_flight')).toEqual([{ service: 'shop', value: 0 }]);
  });

  it('lets two containers share one registry, each under its own service label', async () => {
    const registry = new Registry();
    const uri = testBrokerUri('memory');
    await containers(Shop, { AMQP_URI: uri }, { metrics: ServiceMetrics.in(registry) }).start();
    const clock = containers(Clock, { AMQP_URI: uri }, { metrics: ServiceMetrics.in(registry) });
    const ticked = entrypointWaiter(clock, 'tick');
    await clock.start();
    await ticked;
    const client = await clients({ uri, timeoutMs: 2000 });
    await client.call('shop', 'buy', ['tea']);

    expect(await samples(registry, 'shimeji_worker_total')).toEqual(
      expect.arrayContaining([
        { service: 'shop', entrypoint: 'buy', kind: 'rpc', outcome: 'ok', value: 1 },
        { service: 'clock', entrypoint: 'tick', kind: 'timer', outcome: 'ok', value: 1 },
      ]),
    );
  });

  it('records nothing of a container not given the metrics', async () => {
    const registry = new Registry();
    const uri = testBrokerUri('memory');
    await containers(Shop, { AMQP_URI: uri }, { metrics: ServiceMetrics.in(registry) }).start();
    const clock = containers(Clock, { AMQP_URI: uri });
    const ticked = entrypointWaiter(clock, 'tick');
    await clock.start();
    await ticked;
    expect(await samples(registry, 'shimeji_worker_total')).toEqual([]);
    expect(await samples(registry, 'shimeji_workers_in_flight')).toEqual([{ service: 'shop', value: 0 }]);
  });

  it('serves the registry and the process metrics in the Prometheus text format', async () => {
    const registry = new Registry();
    const uri = testBrokerUri('memory');
    await containers(Shop, { AMQP_URI: uri }, { metrics: ServiceMetrics.in(registry) }).start();
    await (await clients({ uri, timeoutMs: 2000 })).call('shop', 'buy', ['tea']);
    const server = await startMetricsServer(registry, 0);
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      expect(text).toContain('# TYPE shimeji_worker_total counter');
      expect(text).toContain('shimeji_worker_total{service="shop",entrypoint="buy",kind="rpc",outcome="ok"} 1');
      expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('has a runner with METRICS_PORT serve its services on that port until it stops', async () => {
    const runner = runners({ AMQP_URI: testBrokerUri('memory'), METRICS_PORT: 0 }, Shop, Clock);
    await runner.start();
    const url = runner.metricsUrl!;
    const text = await (await fetch(url)).text();
    expect(text).toContain('shimeji_workers_in_flight{service="shop"} 0');
    expect(text).toContain('shimeji_workers_in_flight{service="clock"}');
    await runner.stop();
    await expect(fetch(url)).rejects.toThrow();
  });

  it('refuses a METRICS_PORT that is not a port, naming it', () => {
    expect(() => runners({ AMQP_URI: testBrokerUri('memory'), METRICS_PORT: 'ninety' }, Shop)).toThrow(
      'METRICS_PORT is "ninety": expected a port number, 0 to 65535, or off',
    );
  });
});
