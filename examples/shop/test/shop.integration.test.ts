import { ErrorRegistry } from '@platform/shimeji';
import { containerFactory, entrypointHook, replaceDependencies, rpcClientFactory, testBrokerUri } from '@platform/shimeji/testing';
import { InventoryService } from '../src/inventory/service';
import { OrderRejected } from '../src/orders/exceptions';
import { OrdersService } from '../src/orders/service';

describe('the shop on RabbitMQ', () => {
  const containers = containerFactory({ AMQP_URI: testBrokerUri() });
  const clients = rpcClientFactory({ uri: testBrokerUri() });

  it('places an order through inventory, over the real broker', async () => {
    await containers(InventoryService).start();
    await containers(OrdersService).start();
    const client = await clients();
    await expect(client.service<OrdersService>('orders').placeOrder('tea', 1)).resolves.toMatchObject({ status: 'placed' });
  });

  it('brings inventory’s OutOfStock across the wire and turns it into OrderRejected', async () => {
    await containers(InventoryService).start();
    await containers(OrdersService).start();
    class Rejected extends Error {}
    const client = await clients({ errors: new ErrorRegistry().register('orders.exceptions.OrderRejected', Rejected) });
    const failure = client.service<OrdersService>('orders').placeOrder('coffee', 99);
    await expect(failure).rejects.toBeInstanceOf(Rejected);
    await expect(failure).rejects.toThrow('only');
  });

  it('runs an entrypoint with a replaced dependency', async () => {
    const orders = containers(OrdersService);
    const { inventory } = replaceDependencies(orders, 'inventory');
    inventory.reserve.implement(async () => ({ sku: 'tea', reserved: 1, left: 0 }));
    await orders.start();
    await expect(entrypointHook(orders, 'placeOrder')('tea', 1)).resolves.toMatchObject({ left: 0 });
    expect(inventory.reserve.calls).toEqual([['tea', 1]]);
    await expect(entrypointHook(orders, 'placeOrder')('tea', -1)).rejects.toBeInstanceOf(OrderRejected);
  });
});
