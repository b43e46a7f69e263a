// `npm start`: the whole platform on this machine. With no configuration: the in-memory broker,
// embedded PGlite under ./data, the Stripe emulator in this process, emails as .eml files under
// ./data/mail. With AMQP_URI and <SERVICE>_DATABASE_URL (in the environment or a .env file at
// the root; ENV_FILE names another file): RabbitMQ and PostgreSQL. It prints what it uses, then
// `platform ready`. The first SIGTERM/SIGINT stops gracefully (work in flight completes), a
// second one kills.
import path from 'node:path';
import { startTracingFromEnv } from '@platform/shimeji/tracing';
import { environmentWithDotEnv } from './env';
import { CONFIG_FILE, checkSettings, SettingsError } from './settings';

async function main(): Promise<void> {
  const envFile = path.resolve(process.env.ENV_FILE ?? path.resolve(__dirname, '..', '..', '..', '.env'));
  const { env, loaded } = environmentWithDotEnv(envFile);
  // Before any connection: a bad setting must not leave half a platform running.
  checkSettings(env);
  // Before anything is built: only then are its hooks and database clients traced. Nothing is
  // exported unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = startTracingFromEnv('platform', env);
  // Only now the services and facades: loading them takes a second a bad setting need not wait.
  const { startPlatform } = await import('./platform.js');
  const platform = await startPlatform(env, { progress: (text) => console.log(text) });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      console.log(`${signal}: stopping; work in flight completes (${signal} again to kill)`);
      platform.stop().then(
        async () => {
          await tracing?.shutdown();
          console.log('platform stopped');
          process.exit(0);
        },
        (error: unknown) => {
          console.error('graceful stop failed', error);
          process.exit(1);
        },
      );
    } else {
      console.log(`${signal}: killing`);
      void platform.kill().finally(() => process.exit(1));
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // Only once the handlers are on: a process manager that signals the moment it reads this line
  // gets a graceful stop, not the default kill.
  console.log(
    [
      `platform: user, project, payment and messaging services (config ${path.relative(process.cwd(), CONFIG_FILE)}${loaded ? ` + ${envFile}` : ', no .env'})`,
      ...platform.banner,
      'platform ready (Ctrl-C to stop)',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  if (error instanceof SettingsError) {
    // A list for the person who set them, not a stack trace: exit 2 as for a command's bad usage.
    console.error(`the platform could not start: ${error.message}`);
    process.exit(2);
  }
  console.error('the platform could not start:', error);
  process.exit(1);
});
