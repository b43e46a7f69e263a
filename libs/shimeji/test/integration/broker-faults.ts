// Faults of a real broker, aimed at this test's own connections only: other tests share the broker.
import { execFileSync } from 'node:child_process';

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

export { freePort, startProxy } from '../../src/testing';
