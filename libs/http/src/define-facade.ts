// A facade is a definition: what it is called, whom it serves, its routes, the remote errors it
// consumes and how they reach HTTP. Building it (tests, the e2e suite), starting it in the
// platform's process (`npm start`) and running it as its own program (`main.ts`) all derive from
// that one value, so no facade writes its own start-up.
import type { ErrorRegistry } from '@platform/shimeji';
import type { z } from 'zod';
import { type CallerCheck, userServiceStanding } from './caller-check';
import { type AccessTokenOptions, buildFacade, type Facade } from './facade';
import type { ErrorTranslation } from './error-translation';
import type { InputLimits } from './input-limits';
import type { LogOptions } from './logging';
import type { RateLimits } from './rate-limits';
import type { RpcClient } from './rpc';
import { runFacade } from './run-facade';
import { accountRoutes } from './session';
import { type FacadeStartOptions, type StartedFacade, startFacade } from './start-facade';

/** A group of routes: `(app) => { app.get(...); }`. */
export type FacadeRoutes = (app: Facade) => void;

/** Everything that makes one facade what it is (`apps/<name>/src/app.ts`). */
export interface FacadeDefinition {
  /** Logs, call ids (`<name>.http.<request id>`), the docs' title, `<NAME>_*` settings. */
  name: string;
  /** The JWT audience: a token made for another facade is refused. */
  audience: string;
  /** The docs' description. */
  description: string;
  /**
   * The contract's version (`info.version` of its OpenAPI document, `apps/<name>/openapi.json`):
   * raise the major for a change that can break a client; `npm run openapi` refuses it otherwise.
   */
  version: string;
  /** Where its own program listens unless `<NAME>_PORT` says otherwise. */
  defaultPort: number;
  /** The roles it serves: only they log in (and see `/me`). */
  roles: readonly string[];
  /** Whom the application is for, as the login's 403 and the platform's banner name them. */
  forWhom: string;
  /** The user as it shows them in a session (and `/me`). */
  user: z.ZodType;
  /** Serve `GET /me`. */
  whoAmI?: boolean;
  /** Its routes besides the login, in order. */
  routes: readonly FacadeRoutes[];
  /** The remote errors it consumes (`remote-errors.ts`), for its RPC client. */
  remoteErrors: ErrorRegistry;
  /** How they reach HTTP (`http-errors.ts`). */
  httpErrors: ErrorTranslation;
  /** How a token's user stands now (default: the user service's, `userServiceStanding`). */
  callerCheck?: CallerCheck;
}

/** What building a facade's app takes: a client and a key, the rest has defaults. */
export interface FacadeAppOptions {
  rpcClient: RpcClient;
  jwtSecret: string;
  logger?: LogOptions | false;
  bodyLimit?: number;
  inputLimits?: Partial<InputLimits>;
  rpcTimeoutMs?: number;
  tokenExpiresIn?: string;
  rateLimits?: RateLimits;
  /** None unless given: tests on a fake RPC client leave it out; `start` gives the facade's own. */
  callerCheck?: CallerCheck;
  /** How it signs its callers' access tokens; `start` reads them from the config. */
  accessTokens?: AccessTokenOptions;
}

export interface DefinedFacade {
  readonly name: string;
  readonly version: string;
  readonly audience: string;
  readonly defaultPort: number;
  readonly roles: readonly string[];
  readonly forWhom: string;
  readonly remoteErrors: ErrorRegistry;
  /** The caller check `start` gives the app. */
  readonly callerCheck: CallerCheck;
  /** The app, not listening. */
  build(options: FacadeAppOptions): Promise<Facade>;
  /** Listening on `port` (0: any free one), calling the services over the config's AMQP_URI. */
  start(options: FacadeStartOptions): Promise<StartedFacade>;
  /** Its own program: the config from `--config` or the environment, until SIGTERM/SIGINT. */
  main(): void;
}

export function defineFacade(definition: FacadeDefinition): DefinedFacade {
  const { name, version, audience, defaultPort, roles, forWhom, remoteErrors } = definition;
  const callerCheck = definition.callerCheck ?? userServiceStanding(remoteErrors);
  const build = async (options: FacadeAppOptions): Promise<Facade> => {
    const app = await buildFacade({ name, audience, description: definition.description, version: definition.version, errors: definition.httpErrors, ...options });
    accountRoutes(app, definition);
    for (const routes of definition.routes) routes(app);
    return app;
  };
  const start = (options: FacadeStartOptions): Promise<StartedFacade> =>
    startFacade(name, (built) => build({ ...built, callerCheck }), remoteErrors, options);
  return { name, version, audience, defaultPort, roles, forWhom, remoteErrors, callerCheck, build, start, main: () => runFacade(name, start, defaultPort) };
}
