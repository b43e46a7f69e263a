// What `shimeji services` and the shell see of a broker, on memory and RabbitMQ alike: every
// running container answers a describe request with its entrypoints, and only those running.
import { createLogger, createTransport, eventHandler, rpc, service, ServiceContainer, timer, type Transport } from '../../src';
import { discoverInstances, discoverServices, type EntrypointDescription } from '../../src/discovery';
import { accessConfig, as, containerFactory, testBrokerUri } from '../../src/testing';
import { BankService } from './contract-services';

@service('ledger')
class LedgerService {
  @rpc({ allow: ['admin'] })
  async balance(ownerId: string, currency = 'EUR'): Promise<string> {
    return `${ownerId} ${currency}`;
  }

  @eventHandler('bank', 'withdrawn', { handlerType: 'broadcast' })
  async record(): Promise<void> {}

  @timer(3600)
  async close(): Promise<void> {}
}

export function discoveryContract(kind: 'amqp' | 'memory'): void {
  let uri: string;
  const containers = containerFactory();
  const transports: Transport[] = [];

  beforeEach(() => {
    uri = testBrokerUri(kind);
  });
  afterEach(async () => {
    for (const transport of transports.splice(0)) await transport.close().catch(() => undefined);
  });

  const asker = async () => {
    const transport = createTransport(uri, { heartbeatSeconds: 5, connectionName: 'discovery contract', logger: createLogger('silent') });
    transports.push(transport);
    await transport.connect();
    return transport;
  };
  // The ledger's rules need the access keys; the bank checks no token.
  const start = async (cls: new () => object, config: Record<string, unknown> = {}) => {
    const keys = cls === LedgerService ? accessConfig() : {};
    const container: ServiceContainer = containers(cls, { AMQP_URI: uri, ...keys, ...config });
    await container.start();
    return container;
  };
  let window: { windowMs: number; contextData?: Record<string, unknown> };
  beforeAll(async () => {
    window = { windowMs: 300, contextData: await as({ sub: 'u-admin', role: 'admin', audience: 'admin' }) };
  });

  describe(`discovery over the ${kind} transport`, () => {
    it('lists every running service with its instances, by name', async () => {
      await start(BankService);
      await start(BankService);
      await start(LedgerService);
      const listing = await discoverServices(await asker(), window);
      expect(listing.map((s) => [s.service, s.instances.length])).toEqual([
        ['bank', 2],
        ['ledger', 1],
      ]);
      const [first, second] = listing[0]!.instances;
      expect(first!.instanceId).not.toBe(second!.instanceId);
      expect(first).toMatchObject({ running: true, pid: process.pid, maxWorkers: expect.any(Number), workersInFlight: 0 });
    });

    it('describes each entrypoint: an RPC method with its parameters, an event handler, a timer', async () => {
      await start(LedgerService);
      const [ledger] = await discoverInstances(await asker(), window);
      const byMethod = Object.fromEntries(ledger!.entrypoints.map((e: EntrypointDescription) => [e.method, e]));
      expect(byMethod.balance).toEqual({
        kind: 'rpc',
        method: 'balance',
        parameters: [
          { name: 'ownerId', optional: false, rest: false },
          { name: 'currency', optional: true, rest: false },
        ],
        declared: false,
        allow: ['admin'],
      });
      expect(byMethod.record).toMatchObject({ kind: 'event', source: 'bank', eventType: 'withdrawn', handlerType: 'broadcast' });
      expect(byMethod.close).toEqual({ kind: 'timer', method: 'close', intervalSeconds: 3600 });
    });

    it('no longer lists a container once it has stopped', async () => {
      const bank = await start(BankService);
      await start(LedgerService);
      await bank.stop();
      expect((await discoverServices(await asker(), window)).map((s) => s.service)).toEqual(['ledger']);
    });

    it('does not list a service whose config turns discovery off', async () => {
      await start(BankService, { discovery: false });
      await start(LedgerService);
      expect((await discoverServices(await asker(), window)).map((s) => s.service)).toEqual(['ledger']);
    });

    it('finds nothing, without error, on a broker where nothing runs', async () => {
      await expect(discoverServices(await asker(), window)).resolves.toEqual([]);
    });

    describe('of a service that checks access tokens', () => {
      it('says only that it refused, to an asker without a token', async () => {
        await start(LedgerService);
        const [ledger] = await discoverInstances(await asker(), { windowMs: window.windowMs });
        expect(ledger).toMatchObject({ service: 'ledger', entrypoints: [], refused: expect.stringMatching(/^NotAuthorized: .*no access token/) });
      });

      it('describes itself to an asker with a valid token', async () => {
        await start(LedgerService);
        const [ledger] = await discoverInstances(await asker(), window);
        expect(ledger!.refused).toBeUndefined();
        expect(ledger!.entrypoints.map((e) => e.method).sort()).toEqual(['balance', 'close', 'record']);
      });
    });
  });
}
