import { rpc, service } from '@platform/shimeji';
import { OutOfStock, UnknownProduct } from './exceptions';

const stock = new Map<string, number>([
  ['tea', 10],
  ['coffee', 3],
]);

@service('inventory')
export class InventoryService {
  @rpc({ expectedExceptions: [OutOfStock, UnknownProduct] })
  async reserve(sku: string, quantity: number) {
    const available = stock.get(sku);
    if (available === undefined) throw new UnknownProduct(`no product ${sku}`);
    if (quantity > available) throw new OutOfStock(`only ${available} ${sku} left`);
    stock.set(sku, available - quantity);
    return { sku, reserved: quantity, left: available - quantity };
  }
}
