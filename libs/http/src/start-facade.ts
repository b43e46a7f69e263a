// How a facade is started, by its own main and by the platform (`npm start`), which runs it in
// the same process as the services: one RPC client on the config's AMQP_URI, one listener.
import type { AddressInfo } from 'node:net';
import { ClusterRpcClient, type ErrorRegistry, type ServiceConfig } from '@platform/shimeji';
import type { FastifyInstance } from 'fastify';
import type { RpcClient } from './rpc';

export interface StartedFacade {
  url: string;
  docsUrl: string;
  close(): Promise<void>;
}

export interface FacadeStartOptions {
  config: ServiceConfig;
  /** 0: any free port (reported in `url`). */
  port: number;
  host: string;
}

/**
 * Starts the app `build` makes. The token key is `JWT_SECRET`, or `<NAME>_JWT_SECRET` for a key
 * of this facade's own.
 */
export async function startFacade(
  name: string,
  build: (options: { rpcClient: RpcClient; jwtSecret: string }) => Promise<FastifyInstance>,
  errors: ErrorRegistry,
  options: FacadeStartOptions,
): Promise<StartedFacade> {
  const { config } = options;
  const jwtSecret = String(config.JWT_SECRET ?? config[`${name.toUpperCase()}_JWT_SECRET`] ?? '');
  if (!jwtSecret) throw new Error(`set JWT_SECRET (the key the ${name} facade signs its tokens with)`);
  const rpcClient = await ClusterRpcClient.connect({ uri: String(config.AMQP_URI), errors, connectionName: `${name} facade` });
  const app = await build({ rpcClient, jwtSecret });
  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await rpcClient.close();
    throw error;
  }
  const { port } = app.server.address() as AddressInfo;
  const url = `http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${port}`;
  return {
    url,
    docsUrl: `${url}/docs`,
    close: async () => {
      await app.close();
      await rpcClient.close();
    },
  };
}
