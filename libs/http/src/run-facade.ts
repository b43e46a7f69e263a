// A facade's own program (`tsx apps/<name>/src/main.ts`): its port and host from the environment
// (<NAME>_PORT, <NAME>_HOST), the rest as startFacade reads it (<NAME>_JWT_SECRET or JWT_SECRET,
// <NAME>_LOGIN_RATE_LIMIT or LOGIN_RATE_LIMIT, …), the services over AMQP_URI; SIGTERM/SIGINT
// closes it, a second signal exits at once.
import type { FacadeStartOptions, StartedFacade } from './start-facade';

export function runFacade(name: string, start: (options: FacadeStartOptions) => Promise<StartedFacade>, defaultPort: number): void {
  const prefix = name.toUpperCase();
  const env = process.env;
  start({ config: env, port: Number(env[`${prefix}_PORT`] ?? defaultPort), host: env[`${prefix}_HOST`] ?? '0.0.0.0' }).then(
    (facade) => {
      console.log(`${name} facade at ${facade.url}, docs at ${facade.docsUrl}`);
      let stopping = false;
      const stop = (): void => {
        if (stopping) process.exit(1);
        stopping = true;
        void facade.close().then(() => process.exit(0));
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
