// A runner with METRICS_PORT says whether its process is alive and its services ready to serve:
// what a load balancer, an orchestrator's probes or docker-compose's healthcheck ask.
import { randomUUID } from 'node:crypto';
import { rpc, service, ServiceRunner } from '../../src';
import { type BrokerProxy, brokerProxy, testBrokerUri } from '../../src/testing';

function aService(name: string) {
  @service(name)
  class Anything {
    @rpc async ping() {
      return 'pong';
    }
  }
  return Anything;
}

describe('the health of a runner’s services', () => {
  let broker: BrokerProxy;
  let runner: ServiceRunner;
  const [first, second] = [`health_a_${randomUUID().slice(0, 6)}`, `health_b_${randomUUID().slice(0, 6)}`];

  beforeAll(async () => {
    broker = await brokerProxy(testBrokerUri('amqp'));
    runner = new ServiceRunner({ AMQP_URI: broker.uri, METRICS_PORT: 0, logLevel: 'silent', heartbeatSeconds: 1 });
    runner.addService(aService(first));
    runner.addService(aService(second));
    await runner.start();
  }, 30_000);
  afterAll(async () => {
    await broker.up();
    await runner.stop();
    await broker.down();
  });

  const ask = async (path: string) => {
    const res = await fetch(runner.metricsUrl!.replace('/metrics', path));
    return { status: res.status, body: await res.json() };
  };

  it('is alive and ready, naming each service, while they serve', async () => {
    await expect(ask('/health')).resolves.toEqual({ status: 200, body: { status: 'alive' } });
    await expect(ask('/ready')).resolves.toEqual({ status: 200, body: { status: 'ready', services: { [first]: true, [second]: true } } });
  });

  it('is alive but not ready while the broker is out of reach, and ready again once it is back', async () => {
    await broker.down();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(ask('/health')).resolves.toMatchObject({ status: 200 });
    await expect(ask('/ready')).resolves.toEqual({
      status: 503,
      body: { status: 'not ready', services: { [first]: false, [second]: false }, unhealthy: { [first]: ['broker'], [second]: ['broker'] } },
    });
    await broker.up();
    const deadline = Date.now() + 15_000;
    let ready = await ask('/ready');
    while (ready.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      ready = await ask('/ready');
    }
    expect(ready.status).toBe(200);
    // Each service's connection was made again once: the metrics say so.
    const metrics = await (await fetch(runner.metricsUrl!)).text();
    for (const name of [first, second]) expect(metrics).toContain(`shimeji_broker_reconnections_total{service="${name}"} 1`);
  }, 30_000);
});
