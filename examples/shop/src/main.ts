// Runs both services in one process and makes a few calls, as the README shows. With AMQP_URI
// set (amqp://guest:guest@127.0.0.1) they serve RabbitMQ and stay up for other callers.
import { ClusterRpcClient, ErrorRegistry, ServiceRunner } from '@platform/shimeji';
import { InventoryService } from './inventory/service';
import { OrdersService } from './orders/service';

class OrderRejected extends Error {}

async function main(): Promise<void> {
  const uri = process.env.AMQP_URI ?? 'memory://shop';
  const runner = new ServiceRunner({ AMQP_URI: uri, logLevel: process.env.LOG_LEVEL ?? 'warn' });
  runner.addService(InventoryService);
  runner.addService(OrdersService);
  await runner.start();
  console.log(`inventory and orders are running on ${uri.startsWith('memory:') ? 'the in-memory broker' : uri}`);

  const errors = new ErrorRegistry().register('orders.exceptions.OrderRejected', OrderRejected);
  const client = await ClusterRpcClient.connect({ uri, errors });
  const orders = client.service<OrdersService>('orders');
  console.log('placeOrder(tea, 2) ->', await orders.placeOrder('tea', 2));
  await orders.placeOrder('coffee', 5).catch((error: Error) => {
    console.log(`placeOrder(coffee, 5) -> ${error.constructor.name}: ${error.message}`);
  });
  await client.close();

  if (uri.startsWith('memory:') || process.env.EXIT_AFTER_DEMO) {
    await runner.stop();
    return;
  }
  console.log('serving; Ctrl-C to stop');
  const stop = () => void runner.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
