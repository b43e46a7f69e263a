// `shimeji run`: hosts the services of some modules until SIGTERM or SIGINT. The first signal
// stops them gracefully (work in flight completes), a second one kills them.
import { readConfig, type ServiceConfig } from '../config';
import { createLogger } from '../logger';
import { ServiceRunner } from '../runner';
import { loadServiceClasses } from '../load-services';
import { startTracingFromEnv } from '../tracing';

export async function runCommand(modules: readonly string[], config: ServiceConfig): Promise<number> {
  const logger = createLogger(readConfig.logLevel(config), 'shimeji');
  // Before any container: their knex instances and hooks are traced only if tracing is on.
  const tracing = startTracingFromEnv(runnerServiceName(modules));
  const runner = new ServiceRunner(config, { logger });
  for (const cls of loadServiceClasses(modules)) runner.addService(cls);
  logger.info({ services: runner.containers.map((c) => c.serviceName) }, `starting services: ${runner.containers.map((c) => c.serviceName).join(', ')}`);
  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      if (signals === 1) {
        logger.info({ signal }, 'stopping: work in flight completes (signal again to kill)');
        runner.stop().then(
          () => finish(0),
          (error: unknown) => {
            logger.error({ err: error }, 'graceful stop failed');
            finish(1);
          },
        );
      } else {
        logger.warn({ signal }, 'killing');
        void runner.kill().finally(() => finish(1));
      }
    };
    const finish = (code: number): void => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      logger.info(`stopped (exit ${code})`);
      // The last spans are exported before the process ends.
      void (tracing?.shutdown() ?? Promise.resolve()).finally(() => resolve(code));
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    runner.start().catch((error: unknown) => {
      logger.error({ err: error }, 'the services could not start');
      finish(1);
    });
  });
}

/** OTEL_SERVICE_NAME's default: the module's file name (`user` for services/user/src/service.ts' folder). */
function runnerServiceName(modules: readonly string[]): string {
  const first = modules[0] ?? 'shimeji';
  const parts = first.split(/[\\/]/).filter((part) => part && part !== 'src' && part !== 'dist' && !/^service\.[cm]?[jt]s$/.test(part));
  return parts[parts.length - 1]?.replace(/\.[cm]?[jt]s$/, '') ?? 'shimeji';
}
