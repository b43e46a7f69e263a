// Faults of a real broker, aimed at this test's own connections only: other tests share the broker.
import { execFileSync } from 'node:child_process';
import net from 'node:net';

function rabbitmqctl(args: string[]): string {
  return execFileSync('rabbitmqctl', ['-q', ...args], { encoding: 'utf8', timeout: 60_000 });
}

/** Connections whose client-provided name contains `marker`, with their negotiated heartbeat. */
export function brokerConnections(marker: string): { pid: string; heartbeat: number }[] {
  return rabbitmqctl(['list_connections', 'pid', 'timeout', 'client_properties'])
    .split('\n')
    .filter((line) => line.includes(marker))
    .map((line) => {
      const [pid, timeout] = line.split('\t');
      return { pid: pid!, heartbeat: Number(timeout) };
    });
}

/** Has the broker close the connections named with `marker`, as an operator or a broker restart would. */
export function closeBrokerConnections(marker: string): number {
  const found = brokerConnections(marker);
  for (const { pid } of found) rabbitmqctl(['close_connection', pid, 'closed by a reliability test']);
  return found.length;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP proxy to the broker, so a test decides when "the broker" becomes reachable. */
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
