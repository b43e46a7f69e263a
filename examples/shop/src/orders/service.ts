import { inject, rpc, RpcProxy, service } from '@platform/shimeji';
import { OrderRejected } from './exceptions';
import { OutOfStock, remoteErrors } from './remote-errors';

/** What this service needs from inventory: the caller declares what it consumes. */
interface Inventory {
  reserve(sku: string, quantity: number): { sku: string; reserved: number; left: number };
}

@service('orders')
export class OrdersService {
  inventory = inject(new RpcProxy<Inventory>('inventory', { errors: remoteErrors }));

  @rpc({ expectedExceptions: [OrderRejected] })
  async placeOrder(sku: string, quantity: number) {
    if (!Number.isInteger(quantity) || quantity <= 0) throw new OrderRejected('quantity must be a positive whole number');
    try {
      const reservation = await this.inventory.reserve(sku, quantity);
      return { sku, quantity, status: 'placed', left: reservation.left };
    } catch (error) {
      // Translate the dependency's expected error into this service's own contract.
      if (error instanceof OutOfStock) throw new OrderRejected(error.message);
      throw error;
    }
  }
}
