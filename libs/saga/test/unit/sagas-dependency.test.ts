// Sagas in a service: started by a worker, run by the container's runner over RPC, on the
// in-memory broker and embedded PGlite (one connection: no step may hold it while another waits).
import { randomUUID } from 'node:crypto';
import { ClusterRpcClient, ServiceContainer } from '@platform/shimeji';
import { OUTBOX_TABLE } from '@platform/db';
import { databaseOf } from '@platform/db/testing';
import { eventually, testBrokerUri } from '@platform/shimeji/testing';
import { getSaga } from '../../src';
import { ordersService } from '../fixtures/orders-service';
import { ACTS_TABLE, stockService } from '../fixtures/stock-service';

describe('a saga started in a worker', () => {
  const uri = testBrokerUri('memory');
  const suffix = randomUUID().slice(0, 6);
  const { Orders } = ordersService(`orders_${suffix}`, `stock_${suffix}`, { pollMs: 200 });
  const orders = new ServiceContainer(Orders, { AMQP_URI: uri, logLevel: 'silent' });
  const stock = new ServiceContainer(stockService(`stock_${suffix}`), { AMQP_URI: uri, logLevel: 'silent' });
  let client: ClusterRpcClient;

  beforeAll(async () => {
    await Promise.all([orders.start(), stock.start()]);
    client = await ClusterRpcClient.connect({ uri });
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await Promise.all([orders.stop(), stock.stop()]);
  }, 30_000);

  it('runs its remote steps at the other service and its local step in its own database, then is completed', async () => {
    const sagaId = (await client.call(`orders_${suffix}`, 'placeOrder', ['o1'])) as string;
    const knex = databaseOf(orders).knex;
    const state = await eventually('the saga to complete', async () => {
      const found = await getSaga(knex, sagaId);
      return found?.status === 'completed' ? found : undefined;
    }, 20_000);
    expect(state.steps.map((s) => s.step)).toEqual(['reserve', 'charge', 'ship', 'record']);
    expect(state.context).toEqual({ orderId: 'o1', reservation: 'reserve_o1' });
    expect(await knex('orders').select('id', 'status')).toEqual([{ id: 'o1', status: 'placed' }]);
    const events = await knex(OUTBOX_TABLE).where({ routing_key: 'order_placed' });
    expect(events.map((e: { body: string }) => JSON.parse(e.body))).toEqual([{ order_id: 'o1' }]);
    const acts = await databaseOf(stock).knex(ACTS_TABLE).orderBy('id').pluck('method');
    expect(acts).toEqual(['reserve', 'charge', 'ship']);
  }, 40_000);
});
