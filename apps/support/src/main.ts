// Starts the support facade on SUPPORT_PORT (default 8002), calling the services over AMQP_URI.
import { DEFAULT_PORT } from './app';
import { startFacade } from './start-facade';

async function main(): Promise<void> {
  const facade = await startFacade({
    config: { AMQP_URI: process.env.AMQP_URI, JWT_SECRET: process.env.JWT_SECRET ?? process.env.SUPPORT_JWT_SECRET },
    port: Number(process.env.SUPPORT_PORT ?? DEFAULT_PORT),
    host: process.env.SUPPORT_HOST ?? '0.0.0.0',
  });
  console.log(`support facade at ${facade.url}, docs at ${facade.docsUrl}`);
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1);
    stopping = true;
    void facade.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
