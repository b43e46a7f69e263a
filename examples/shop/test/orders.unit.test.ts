import { workerFactory } from '@platform/shimeji/testing';
import { OrderRejected } from '../src/orders/exceptions';
import { OutOfStock } from '../src/orders/remote-errors';
import { OrdersService } from '../src/orders/service';

describe('OrdersService (unit, no broker)', () => {
  it('places an order once inventory reserved the goods', async () => {
    const inventory = { reserve: async (sku: string, quantity: number) => ({ sku, reserved: quantity, left: 8 }) };
    const orders = workerFactory(OrdersService, { inventory });
    await expect(orders.placeOrder('tea', 2)).resolves.toEqual({ sku: 'tea', quantity: 2, status: 'placed', left: 8 });
  });

  it('rejects the order when inventory is out of stock', async () => {
    const inventory = {
      reserve: async () => {
        throw new OutOfStock('only 3 coffee left');
      },
    };
    const orders = workerFactory(OrdersService, { inventory });
    await expect(orders.placeOrder('coffee', 5)).rejects.toEqual(new OrderRejected('only 3 coffee left'));
  });

  it('refuses a quantity that is not a positive whole number without asking inventory', async () => {
    const orders = workerFactory(OrdersService);
    await expect(orders.placeOrder('tea', 0)).rejects.toBeInstanceOf(OrderRejected);
    expect(orders.inventory.reserve).toHaveProperty('calls', []);
  });
});
