// How a facade is started, by its own main and by the platform (`npm start`), which runs it in
// the same process as the services: one RPC client on the config's AMQP_URI, one listener, and,
// with a caller check, a listener for the user service's news of suspensions and new roles.
import type { AddressInfo } from 'node:net';
import { accessTokenTtlMs, ClusterRpcClient, createLogger, type ErrorRegistry, readConfig, type ServiceConfig, userIssuerFromConfig } from '@platform/shimeji';
import type { AccessTokenOptions } from './facade';
import type { FastifyInstance } from 'fastify';
import type { LogOptions } from './logging';
import { type RateLimits, rateLimitsFromConfig } from './rate-limits';
import type { RpcClient } from './rpc';
import { listenForStandingChanges, type StandingChanges } from './standing-changes';

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
  /** ACCESS_USER_SIGNING_KEY and ACCESS_TOKEN_TTL: the services refuse calls without a token. */
  accessTokens: AccessTokenOptions;
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
  const accessTokens = { issuer: await userIssuerFromConfig(config, `the ${name} facade`), ttlMs: accessTokenTtlMs(config) };
  // A person waits on every call: while the broker is gone, calls fail at once (503, try again).
  const rpcClient = await ClusterRpcClient.connect({
    uri: String(config.AMQP_URI),
    errors,
    connectionName: `${name} facade`,
    whileDisconnected: 'fail',
    logger: createLogger(readConfig.logLevel(config), `${name} facade`),
    // Its reply queue survives a cluster node's loss only as a quorum queue, like the services'.
    queueType: readConfig.amqpQueueType({ AMQP_QUEUE_TYPE: config.AMQP_QUEUE_TYPE ?? process.env.AMQP_QUEUE_TYPE }),
  });
  let app: FastifyInstance | undefined;
  let standingChanges: StandingChanges | undefined;
  try {
    app = await build({ rpcClient, jwtSecret, rateLimits, accessTokens, logger: { level: readConfig.logLevel(config) } });
    const standings = app.callerStandings;
    if (standings) standingChanges = await listenForStandingChanges(name, config, (userId) => standings.forget(userId));
    await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await standingChanges?.stop();
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
      await standingChanges?.stop();
      await rpcClient.close();
    },
  };
}
