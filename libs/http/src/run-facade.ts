// A facade's own program (`tsx apps/<name>/src/main.ts [--config file.yaml]`): its port and host
// from the environment (<NAME>_PORT, <NAME>_HOST); the rest as startFacade reads it
// (<NAME>_JWT_SECRET or JWT_SECRET, <NAME>_LOGIN_RATE_LIMIT or LOGIN_RATE_LIMIT, …, AMQP_URI)
// from the config file when one is given (as npm start and docker-compose give
// apps/platform/config.yaml), else from the environment. SIGTERM/SIGINT closes it, a second
// signal exits at once.
import { parseArgs } from 'node:util';
import { loadConfigFile, type ServiceConfig } from '@platform/shimeji';
import type { FacadeStartOptions, StartedFacade } from './start-facade';
import { startTracingFromEnv } from '@platform/shimeji/tracing';

/** `--config file.yaml`: that file, `${VAR:default}` read from `env`; no arguments: `env` itself. */
export function facadeConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServiceConfig {
  const { values } = parseArgs({ args: [...argv], options: { config: { type: 'string', short: 'c' } } });
  return values.config === undefined ? env : loadConfigFile(values.config, env);
}

const CLOSE_BOUND_MS = 5_000;

export function runFacade(name: string, start: (options: FacadeStartOptions) => Promise<StartedFacade>, defaultPort: number): void {
  const prefix = name.toUpperCase();
  const env = process.env;
  const fail = (error: unknown): never => {
    console.error(`the ${name} facade could not start:`, error);
    process.exit(1);
  };
  let config: ServiceConfig;
  try {
    config = facadeConfig(process.argv.slice(2), env);
  } catch (error) {
    return fail(error);
  }
  // Before the facade is built: its hooks trace only if tracing is on.
  const tracing = startTracingFromEnv(name);
  start({ config, port: Number(env[`${prefix}_PORT`] ?? defaultPort), host: env[`${prefix}_HOST`] ?? '0.0.0.0' }).then(
    (facade) => {
      console.log(`${name} facade at ${facade.url}, docs at ${facade.docsUrl}`);
      let stopping = false;
      const stop = (): void => {
        if (stopping) process.exit(1);
        stopping = true;
        // Closing waits for no broker (calls fail fast, queues left to expire); the bound is for
        // whatever else might hang, so a process manager's stop is never ignored.
        const bound = setTimeout(() => {
          console.error(`the ${name} facade did not close within ${CLOSE_BOUND_MS / 1000} s: exiting`);
          process.exit(1);
        }, CLOSE_BOUND_MS);
        bound.unref();
        void facade.close().then(
          () => void (tracing?.shutdown() ?? Promise.resolve()).finally(() => process.exit(0)),
          (error: unknown) => {
            console.error(`the ${name} facade did not close cleanly:`, error);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
    fail,
  );
}
