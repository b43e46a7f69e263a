// What every Transport promises about its connection, run against memory and RabbitMQ alike.
import { createTransport, type Transport } from '../../src';
import { testBrokerUri } from '../../src/testing';

export function transportContract(kind: 'amqp' | 'memory'): void {
  const opened: Transport[] = [];
  const make = () => {
    const transport = createTransport(testBrokerUri(kind), { heartbeatSeconds: 5, connectionName: 'transport contract' });
    opened.push(transport);
    return transport;
  };

  afterEach(async () => {
    for (const transport of opened.splice(0)) await transport.close().catch(() => undefined);
  });

  it('says it is not connected before connect() is called', () => {
    expect(make().connected).toBe(false);
  });

  it('says it is connected once connect() resolves', async () => {
    const transport = make();
    await transport.connect();
    expect(transport.connected).toBe(true);
  });

  it('says it is not connected once closed', async () => {
    const transport = make();
    await transport.connect();
    await transport.close();
    expect(transport.connected).toBe(false);
  });
}
