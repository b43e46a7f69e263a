// The admins' facade: one application, its own schemas and its own remote-error translation.
import { buildFacade, type CallerCheck, type Facade, type LogOptions, type RateLimits, type RpcClient } from '@platform/http';
import { translation } from './http-errors';
import { accountRoutes } from './routes/accounts';
import { projectRoutes } from './routes/projects';
import { userRoutes } from './routes/users';

export const AUDIENCE = 'admin';
export const DEFAULT_PORT = 8001;

export interface AdminAppOptions {
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

export async function buildAdminApp(options: AdminAppOptions): Promise<Facade> {
  const app = await buildFacade({
    name: 'admin',
    audience: AUDIENCE,
    description: 'The admins’ application: users, projects, orders, confirming and refunding payments',
    errors: translation,
    ...options,
  });
  accountRoutes(app);
  userRoutes(app);
  projectRoutes(app);
  return app;
}
