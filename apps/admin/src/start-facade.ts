// How the admin facade is started, by its own main and by the platform (`npm start`), which runs it
// in the same process as the services.
import type { AddressInfo } from 'node:net';
import { ClusterRpcClient, type ServiceConfig } from '@platform/shimeji';
import { buildAdminApp } from './app';
import { remoteErrors } from './remote-errors';

export interface StartedFacade {
  url: string;
  docsUrl: string;
  close(): Promise<void>;
}

/** Listens on `port` (0: any free one) and calls the services over the config's AMQP_URI. */
export async function startFacade(options: { config: ServiceConfig; port: number; host: string }): Promise<StartedFacade> {
  const { config } = options;
  const jwtSecret = String(config.JWT_SECRET ?? config.ADMIN_JWT_SECRET ?? '');
  if (!jwtSecret) throw new Error('set JWT_SECRET (the key the admin facade signs its tokens with)');
  const rpcClient = await ClusterRpcClient.connect({ uri: String(config.AMQP_URI), errors: remoteErrors, connectionName: 'admin facade' });
  const app = await buildAdminApp({ rpcClient, jwtSecret });
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
