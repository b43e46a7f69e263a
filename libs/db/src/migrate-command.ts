// `shimeji-db migrate <module…> [--config file.yaml]`: applies each service's migrations (creating
// its database when absent) without starting the service: for deploy steps and operators.
import { parseArgs } from 'node:util';
import {
  createLogger,
  findDependencyProviders,
  getServiceDefinition,
  loadConfigFile,
  loadServiceClasses,
  type ServiceConfig,
  type ServiceContainer,
} from '@platform/shimeji';
import { Database } from './database';

export async function migrateServices(modules: readonly string[], config: ServiceConfig): Promise<string[]> {
  const done: string[] = [];
  const logger = createLogger(String(config.logLevel ?? 'info'), 'shimeji-db');
  for (const cls of loadServiceClasses(modules)) {
    const serviceName = getServiceDefinition(cls).name;
    for (const provider of findDependencyProviders(new cls()).values()) {
      if (!(provider instanceof Database)) continue;
      // Only what setup() reads of a container: the database needs no broker to migrate.
      provider.container = { config, serviceName, logger: logger.child({ service: serviceName }) } as unknown as ServiceContainer;
      await provider.setup();
      await provider.stop();
      done.push(serviceName);
    }
  }
  return done;
}

export const USAGE = `usage: shimeji-db migrate <module…> [--config file.yaml]

Applies the migrations of every Database the service modules declare, creating each database
when absent, without starting the services.

options:
  -c, --config <file.yaml>  the services' config (database URLs), as shimeji run reads it
  -h, --help                this help
`;

export async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    // parseArgs rejects unknown options and a --config without a value with a TypeError whose
    // code says so: an operator's typo, answered with one line and the usage, not a stack trace.
    if (!String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_')) throw error;
    process.stderr.write(`shimeji-db: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [command, ...modules] = positionals;
  if (command !== 'migrate' || modules.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = values.config ? loadConfigFile(values.config) : {};
  const done = await migrateServices(modules, config);
  process.stdout.write(`migrated: ${done.join(', ') || 'no service with a Database'}\n`);
  return 0;
}
