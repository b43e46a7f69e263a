// A RabbitMQ cluster of a test's own: three (or N) private nodes (private-broker.ts: own node
// names, ports and data folders) joined with `rabbitmqctl join_cluster`. The shared broker is
// never touched. A node can be taken down (every connection to it drops, its share of the queues
// with it) and brought back (it rejoins), for failover tests.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type PrivateBroker, privateBrokerUnavailable, startPrivateBroker } from './private-broker';

const run = promisify(execFile);

export interface RabbitCluster {
  nodes: PrivateBroker[];
  /** Every node's URI, comma-separated: what AMQP_URI takes for a cluster. */
  uri: string;
  /**
   * A new virtual host on the cluster, guest allowed everything: the AMQP_URI of every node,
   * on it. Tests that share a cluster keep their queues apart this way (a queue declared classic
   * cannot be declared again as quorum). Made while every node is up.
   */
  vhost(name: string): Promise<string>;
  /** Stops every node and removes their data. */
  stop(): Promise<void>;
}

/** Why a cluster cannot be started here, or undefined when it can. */
export const clusterUnavailable = privateBrokerUnavailable;

const ctl = (node: string, ...args: string[]) => run('rabbitmqctl', ['-q', '-n', node, ...args], { timeout: 120_000 });

/** Starts `size` nodes, one at a time (each boot is CPU-bound), and joins them into one cluster. */
export async function startRabbitCluster(size = 3): Promise<RabbitCluster> {
  const nodes: PrivateBroker[] = [];
  const stop = async () => {
    for (const node of nodes.reverse()) await node.stop().catch(() => undefined);
  };
  try {
    for (let i = 0; i < size; i++) nodes.push(await startPrivateBroker());
    const [first, ...others] = nodes;
    for (const node of others) {
      await ctl(node.nodeName, 'stop_app');
      await ctl(node.nodeName, 'join_cluster', first!.nodeName);
      await node.up();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const vhost = async (name: string) => {
    await ctl(nodes[0]!.nodeName, 'add_vhost', name);
    await ctl(nodes[0]!.nodeName, 'set_permissions', '-p', name, 'guest', '.*', '.*', '.*');
    return nodes.map((node) => `${node.uri.replace(/\/$/, '')}/${encodeURIComponent(name)}`).join(',');
  };
  return { nodes: [...nodes], uri: nodes.map((node) => node.uri).join(','), vhost, stop };
}
