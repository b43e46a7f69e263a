// `shimeji-sagas list|show|retry <id> --service <name> [--config file.yaml]`: a service's sagas, read
// from its own database (the URL the service reads, `<SERVICE>_DATABASE_URL`, as shimeji-db does).
import { parseArgs } from 'node:util';
import { createKnex, databaseUrlKey, describeLocation } from '@platform/db';
import { ConfigError, loadConfigFile } from '@platform/shimeji';
import { SAGAS_TABLE } from '../saga-migrations';
import { getSaga, listSagas, retryStuck, type SagaStatus } from '../saga-store';
import { formatList, formatSaga } from './saga-report';

export const USAGE = `usage:
  shimeji-sagas list --service <name> [--status S] [--limit N] [--config file.yaml] [--database-url URL]
  shimeji-sagas show <saga id> --service <name> [--config file.yaml] [--database-url URL]
  shimeji-sagas retry <saga id> --service <name> [--config file.yaml] [--database-url URL]

Reads the service's sagas from its database: <SERVICE>_DATABASE_URL (e.g. PAYMENT_DATABASE_URL)
from the --config file or the environment, or --database-url. list shows the newest first
(--status running, compensating, completed, compensated or stuck); show prints one saga's state,
context, and each step's tries, timings and last error; retry sends a stuck saga back to
compensating (once what made its compensation fail is fixed), for the service's runner to take up.
`;

const STATUSES: readonly SagaStatus[] = ['running', 'compensating', 'completed', 'compensated', 'stuck'];

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const processIo: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env };

function databaseUrl(service: string, values: { config?: string; 'database-url'?: string }, env: NodeJS.ProcessEnv): string {
  if (values['database-url']) return values['database-url'];
  const key = databaseUrlKey(service);
  const fromConfig = values.config ? loadConfigFile(values.config)[key] : undefined;
  const url = fromConfig ?? env[key];
  if (url === undefined || url === null || String(url) === '') {
    throw new ConfigError(
      `no database URL for ${service}: set ${key}${values.config ? ` in ${values.config} or the environment` : ' in the environment (or in a --config file)'}, or pass --database-url (an embedded PGlite database is read only by its own process)`,
    );
  }
  return String(url);
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        service: { type: 'string', short: 's' },
        config: { type: 'string', short: 'c' },
        'database-url': { type: 'string' },
        status: { type: 'string' },
        limit: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    if (!String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_')) throw error;
    io.err(`shimeji-sagas: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const [command, ...rest] = positionals;
  const wrongUse = (message: string) => {
    io.err(`shimeji-sagas: ${message}\n${USAGE}`);
    return 2;
  };
  if (command !== 'list' && command !== 'show' && command !== 'retry') return wrongUse(command ? `unknown command ${command}` : 'say list, show or retry');
  if (command !== 'list' && rest.length !== 1) return wrongUse(`${command} takes one saga id`);
  if (command === 'list' && rest.length > 0) return wrongUse('list takes no arguments');
  if (!values.service) return wrongUse('--service names the service whose sagas to read (its database URL is <SERVICE>_DATABASE_URL)');
  if (values.status !== undefined && !STATUSES.includes(values.status as SagaStatus)) return wrongUse(`--status is one of ${STATUSES.join(', ')}: got ${values.status}`);
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit <= 0) return wrongUse(`--limit is a positive whole number: got ${values.limit}`);

  let url: string;
  try {
    url = databaseUrl(values.service, values, io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`shimeji-sagas: ${error.message}\n`);
    return 2;
  }
  const knex = createKnex({ url }, { poolSize: 1 });
  try {
    const hasTable = await knex.schema.hasTable(SAGAS_TABLE).catch((error: Error) => error);
    if (hasTable instanceof Error) {
      io.err(`shimeji-sagas: could not read ${describeLocation({ url })}: ${hasTable.message}\n`);
      return 1;
    }
    if (!hasTable) {
      io.err(`shimeji-sagas: ${describeLocation({ url })} has no ${SAGAS_TABLE} table: ${values.service} has not run with Sagas yet\n`);
      return 1;
    }
    if (command === 'list') {
      io.out(formatList(await listSagas(knex, { status: values.status as SagaStatus | undefined, limit })));
      return 0;
    }
    const id = rest[0]!;
    const saga = /^[0-9a-f-]{36}$/i.test(id) ? await getSaga(knex, id) : undefined;
    if (!saga) {
      io.err(`shimeji-sagas: no saga ${id} in ${describeLocation({ url })}\n`);
      return 1;
    }
    if (command === 'show') {
      io.out(formatSaga(saga));
      return 0;
    }
    if (!(await retryStuck(knex, id))) {
      io.err(`shimeji-sagas: saga ${id} is ${saga.status}, not stuck: only a stuck saga is retried\n`);
      return 1;
    }
    io.out(`saga ${id} is compensating again, from ${saga.name}'s step that failed; ${values.service}'s runner takes it up at its next poll\n`);
    return 0;
  } finally {
    await knex.destroy();
  }
}
