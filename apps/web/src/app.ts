// The customers' facade: one application, its own schemas and its own remote-error translation.
import { buildFacade, type CallerCheck, type Facade, type LogOptions, type RateLimits, type RpcClient } from '@platform/http';
import { translation } from './http-errors';
import { accountRoutes } from './routes/accounts';
import { paymentRoutes } from './routes/payments';
import { projectRoutes } from './routes/projects';

export const AUDIENCE = 'web';
export const DEFAULT_PORT = 8000;

export interface WebAppOptions {
  rpcClient: RpcClient;
  jwtSecret: string;
  logger?: LogOptions | false;
  bodyLimit?: number;
  rpcTimeoutMs?: number;
  tokenExpiresIn?: string;
  /** The login and payment rate limits (startFacade reads them from the config). */
  rateLimits?: RateLimits;
  /** How a token's user stands now (startFacade gives `callerCheck` from ./caller-check). */
  callerCheck?: CallerCheck;
}

export async function buildWebApp(options: WebAppOptions): Promise<Facade> {
  const app = await buildFacade({
    name: 'web',
    audience: AUDIENCE,
    description: 'The customers’ application: accounts, projects, orders and payments',
    errors: translation,
    ...options,
  });
  accountRoutes(app);
  projectRoutes(app);
  paymentRoutes(app);
  return app;
}
