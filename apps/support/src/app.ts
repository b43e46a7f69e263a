// The support staff's facade: one application, its own schemas and its own remote-error translation.
import { buildFacade, type CallerCheck, type Facade, type LogOptions, type RateLimits, type RpcClient } from '@platform/http';
import { translation } from './http-errors';
import { accountRoutes } from './routes/accounts';
import { customerRoutes } from './routes/customers';

export const AUDIENCE = 'support';
export const DEFAULT_PORT = 8002;

export interface SupportAppOptions {
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

export async function buildSupportApp(options: SupportAppOptions): Promise<Facade> {
  const app = await buildFacade({
    name: 'support',
    audience: AUDIENCE,
    description: 'The support staff’s application: customers, their projects, orders, payments and emails',
    errors: translation,
    ...options,
  });
  accountRoutes(app);
  customerRoutes(app);
  return app;
}
