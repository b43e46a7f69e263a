import pino from 'pino';

export type Logger = pino.Logger;

/** Fields that never reach a log line, wherever they appear in a logged object. */
const REDACTED = ['password', 'token', 'authorization', 'auth_token', 'secret', 'card', 'cvc'].flatMap((k) => [
  k,
  `*.${k}`,
  `*.*.${k}`,
]);

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', name = 'shimeji'): Logger {
  return pino({ name, level, redact: { paths: REDACTED, censor: '[redacted]' } });
}
