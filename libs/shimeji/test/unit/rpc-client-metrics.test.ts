// The caller's side of RPC metrics: each outgoing call timed by caller, service, method and
// outcome, a timeout and a call that could not be sent included.
import { Registry } from 'prom-client';
import { ErrorRegistry, rpc, service } from '../../src';
import { RpcClientMetrics } from '../../src/rpc-client-metrics';
import { containerFactory, rpcClientFactory, testBrokerUri } from '../../src/testing';

class OutOfStock extends Error {}

@service('stall')
class Stall {
  @rpc async buy(item: string) {
    if (item === 'broken') throw new Error('the till is broken');
    return `bought ${item}`;
  }

  @rpc({ expectedExceptions: [OutOfStock] }) async reserve() {
    throw new OutOfStock('none left');
  }

  @rpc async slow(ms: number) {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

async function counts(registry: Registry) {
  const metric = registry.getSingleMetric('shimeji_rpc_client_duration_seconds')!;
  const { values } = (await metric.get()) as { values: { labels: Record<string, string>; value: number; metricName?: string }[] };
  return values.filter((v) => v.metricName?.endsWith('_count')).map(({ labels, value }) => ({ ...labels, value }));
}

describe('RPC client metrics', () => {
  const containers = containerFactory();
  const clients = rpcClientFactory();

  it('time every call by service, method and outcome: ok, expected error, error, timeout, not sent', async () => {
    const registry = new Registry();
    const stop = RpcClientMetrics.in(registry).start();
    try {
      const uri = testBrokerUri('memory');
      await containers(Stall, { AMQP_URI: uri }).start();
      const errors = new ErrorRegistry().registerService('stall', { OutOfStock });
      const client = await clients({ uri, timeoutMs: 5_000, errors });

      await client.call('stall', 'buy', ['tea']);
      await client.call('stall', 'buy', ['jam']);
      await expect(client.call('stall', 'buy', ['broken'])).rejects.toThrow('the till is broken');
      await expect(client.call('stall', 'reserve')).rejects.toThrow(OutOfStock);
      await expect(client.call('stall', 'slow', [2_000], { timeoutMs: 50 })).rejects.toThrow();
      await expect(client.call('nobody', 'home')).rejects.toThrow();

      const caller = expect.any(String);
      expect(await counts(registry)).toEqual(
        expect.arrayContaining([
          { caller, service: 'stall', method: 'buy', outcome: 'ok', value: 2 },
          { caller, service: 'stall', method: 'buy', outcome: 'error', value: 1 },
          { caller, service: 'stall', method: 'reserve', outcome: 'expected_error', value: 1 },
          { caller, service: 'stall', method: 'slow', outcome: 'timeout', value: 1 },
          { caller, service: 'nobody', method: 'home', outcome: 'not_sent', value: 1 },
        ]),
      );
    } finally {
      stop();
    }
  });
});
