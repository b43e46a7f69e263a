// The shimeji command line: run services, open a shell on a cluster, show the config.
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { CONFIG_KEYS } from '../constants';
import type { ServiceConfig } from '../config';
import { ConfigError, loadConfigFile } from '../config-file';
import { redactConfig } from '../redaction';
import { deadLettersCommand } from './dead-letters-command';
import { runCommand } from './run-command';
import { servicesCommand } from './services-command';
import { shellCommand } from './shell-command';
import { tokenCommand } from './token-command';

const USAGE = `usage:
  shimeji run <module…> [--config file.yaml] [--broker amqp://…]   run the services the modules export
  shimeji shell [--config file.yaml] [--broker amqp://…] [--token T] a REPL on a running cluster, calling with token T (or SHIMEJI_TOKEN)
  shimeji services [--broker …] [--token T] [--json] [--wait ms]  the services on the broker, their instances and entrypoints
  shimeji token --role R --sub ID [--ttl 10m] [--audience admin] [--key file.pem] [--config …]
                                                                   an access token signed with the facades' key (ACCESS_USER_SIGNING_KEY)
  shimeji show-config [--config file.yaml]                         the config after \${VAR:default} substitution, secrets redacted
  shimeji dead-letters [--broker …]                                every dead-letter queue, its message count and oldest message's age
  shimeji dead-letters <queue> [--replay] [--limit N] [--broker …] show dead-lettered messages and why; --replay sends them back
  shimeji-sagas list|show <id> --service <name> [--config …]       a service's sagas, from its database (@platform/saga)

Config files are YAML; \${VAR} and \${VAR:default} are read from the environment.
Without --broker or AMQP_URI in the config, the AMQP_URI environment variable is used.`;

function configFrom(values: { config?: string; broker?: string }): ServiceConfig {
  const config: Record<string, unknown> = values.config ? { ...loadConfigFile(values.config) } : {};
  if (values.broker) config[CONFIG_KEYS.amqpUri] = values.broker;
  else if (config[CONFIG_KEYS.amqpUri] === undefined && process.env.AMQP_URI) config[CONFIG_KEYS.amqpUri] = process.env.AMQP_URI;
  return config;
}

export async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        broker: { type: 'string', short: 'b' },
        help: { type: 'boolean', short: 'h' },
        replay: { type: 'boolean' },
        limit: { type: 'string' },
        token: { type: 'string' },
        role: { type: 'string' },
        sub: { type: 'string' },
        ttl: { type: 'string' },
        audience: { type: 'string' },
        key: { type: 'string' },
        json: { type: 'boolean' },
        wait: { type: 'string' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return parsed.values.help ? 0 : 2;
  }
  try {
    const config = configFrom(parsed.values);
    switch (command) {
      case 'run':
        if (rest.length === 0) throw new ConfigError('run needs at least one module that exports services');
        return await runCommand(rest, config);
      case 'shell':
        return await shellCommand(config, { token: parsed.values.token ?? process.env.SHIMEJI_TOKEN });
      case 'services': {
        const windowMs = parsed.values.wait === undefined ? undefined : Number(parsed.values.wait);
        if (windowMs !== undefined && !(windowMs > 0)) throw new ConfigError('--wait must be a positive number of milliseconds');
        return await servicesCommand(config, { token: parsed.values.token ?? process.env.SHIMEJI_TOKEN, json: Boolean(parsed.values.json), windowMs });
      }
      case 'token':
        return await tokenCommand(config, parsed.values);
      case 'dead-letters': {
        if (rest.length > 1) throw new ConfigError('dead-letters takes at most one queue name');
        if (rest.length === 0 && parsed.values.replay) throw new ConfigError('dead-letters --replay needs a queue name');
        const limit = parsed.values.limit === undefined ? (parsed.values.replay ? Infinity : 20) : Number(parsed.values.limit);
        if (!(limit > 0)) throw new ConfigError('--limit must be a positive number');
        return await deadLettersCommand(rest[0], config, { replay: Boolean(parsed.values.replay), limit });
      }
      case 'show-config':
        // Secrets redacted: this output lands in terminals, tickets and CI logs.
        process.stdout.write(YAML.stringify(redactConfig(config)));
        return 0;
      case 'sagas':
        // Sagas live in @platform/saga, which builds on this lib: its own command reads them.
        throw new ConfigError('sagas are read by their own command: npx shimeji-sagas list|show <id> --service <name> (from @platform/saga)');
      default:
        throw new ConfigError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`shimeji: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}
