import pino from 'pino';

export type Logger = pino.Logger;

/** Fields that never reach a log line, wherever they appear in a logged object. */
const REDACTED = ['password', 'token', 'authorization', 'auth_token', 'secret', 'card', 'cvc'].flatMap((k) => [
  k,
  `*.${k}`,
  `*.*.${k}`,
]);

/**
 * Where log lines go: on a terminal, readable coloured lines (pino-pretty); piped or redirected,
 * JSON lines on stdout, for a log collector. `LOG_FORMAT=json` or `LOG_FORMAT=pretty` decides
 * instead. Undefined means stdout as JSON.
 */
export function logDestination(env: NodeJS.ProcessEnv = process.env, terminal = Boolean(process.stdout.isTTY)): NodeJS.WritableStream | undefined {
  const format = env.LOG_FORMAT?.trim().toLowerCase();
  if (format !== undefined && format !== '' && format !== 'json' && format !== 'pretty') {
    throw new Error(`LOG_FORMAT is "${env.LOG_FORMAT}": expected json or pretty (default: pretty on a terminal, json otherwise)`);
  }
  if (format === 'json' || (format !== 'pretty' && !terminal)) return undefined;
  // Loaded only for a terminal: a service in a container never pays for it.
  const pretty = require('pino-pretty') as typeof import('pino-pretty');
  return pretty({ colorize: terminal, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}

// One pretty stream for every logger of the process: they write to the one terminal.
let processDestination: { stream: NodeJS.WritableStream | undefined } | undefined;

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', name = 'shimeji'): Logger {
  const options = { name, level, redact: { paths: REDACTED, censor: '[redacted]' } };
  processDestination ??= { stream: logDestination() };
  const { stream } = processDestination;
  return stream ? pino(options, stream) : pino(options);
}
