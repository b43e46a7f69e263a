// A TCP proxy in front of the broker, so that a test decides when "the broker" is reachable:
// taking it down drops every connection through it and refuses new ones, as an outage would,
// without touching the broker that other tests share.
import net from 'node:net';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Listens on `port` and relays to the broker on 127.0.0.1:`target`; `close()` drops everything. */
export async function startProxy(port: number, target = 5672): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface BrokerProxy {
  /** The broker's URI (its vhost and credentials) through the proxy. */
  readonly uri: string;
  /** The outage: connections through the proxy drop, new ones are refused. */
  down(): Promise<void>;
  /** The broker is back, on the same address. */
  up(): Promise<void>;
}

/** A proxy for `uri` (an amqp:// URI of the test broker), up at first: `const broker = await brokerProxy(uri)`. */
export async function brokerProxy(uri: string): Promise<BrokerProxy> {
  const direct = new URL(uri);
  const target = Number(direct.port || 5672);
  const port = await freePort();
  const proxied = new URL(uri);
  proxied.port = String(port);
  let current: { close(): Promise<void> } | undefined = await startProxy(port, target);
  return {
    uri: proxied.toString(),
    async down() {
      await current?.close();
      current = undefined;
    },
    async up() {
      current ??= await startProxy(port, target);
    },
  };
}
