// How a facade is started, by its own main and by the platform (`npm start`), which runs it in
// the same process as the services: one RPC client on the config's AMQP_URI, one listener.
import type { AddressInfo } from 'node:net';
import { ClusterRpcClient, type ErrorRegistry, readConfig, type ServiceConfig } from '@platform/shimeji';
import type { FastifyInstance } from 'fastify';
import type { LogOptions } from './logging';
import { type RateLimits, rateLimitsFromConfig } from './rate-limits';
import type { RpcClient } from './rpc';

const isSet = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

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

/** What `startFacade` gives the facade's builder (`buildWebApp` and the like). */
export interface FacadeBuildOptions {
  rpcClient: RpcClient;
  jwtSecret: string;
  rateLimits: RateLimits;
  /** The config's `logLevel` (npm start: warn unless LOG_LEVEL says otherwise), as the services read it. */
  logger: LogOptions;
}

/**
 * Starts the app `build` makes. Each setting is read as `<NAME>_<KEY>` for this facade alone,
 * else `<KEY>`: the token key `JWT_SECRET`, the rate limits `LOGIN_RATE_LIMIT` and
 * `PAYMENT_RATE_LIMIT` (`<max>/<window>` or `off`; see rate-limits.ts). A setting it cannot use
 * stops the start, naming the variable, before anything connects.
 */
export async function startFacade(
  name: string,
  build: (options: FacadeBuildOptions) => Promise<FastifyInstance>,
  errors: ErrorRegistry,
  options: FacadeStartOptions,
): Promise<StartedFacade> {
  const { config } = options;
  const own = `${name.toUpperCase()}_JWT_SECRET`;
  const jwtSecret = String(isSet(config[own]) ? config[own] : (config.JWT_SECRET ?? ''));
  if (!jwtSecret) throw new Error(`set JWT_SECRET (the key the ${name} facade signs its tokens with)`);
  const rateLimits = rateLimitsFromConfig(config, name);
  const rpcClient = await ClusterRpcClient.connect({ uri: String(config.AMQP_URI), errors, connectionName: `${name} facade` });
  let app: FastifyInstance | undefined;
  try {
    app = await build({ rpcClient, jwtSecret, rateLimits, logger: { level: readConfig.logLevel(config) } });
    await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await app?.close();
    await rpcClient.close();
    throw error;
  }
  const started = app;
  const { port } = started.server.address() as AddressInfo;
  const url = `http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${port}`;
  return {
    url,
    docsUrl: `${url}/docs`,
    close: async () => {
      await started.close();
      await rpcClient.close();
    },
  };
}
