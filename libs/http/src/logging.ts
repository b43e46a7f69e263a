// Structured request logs with no passwords, tokens or card data in them.
import type { FastifyServerOptions } from 'fastify';
import { logDestination } from '@platform/shimeji';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.card',
  '*.card_number',
  '*.cvc',
  '*.*.password',
  '*.*.token',
  '*.*.card',
];

export interface LogOptions {
  level?: string;
  /** Where the JSON lines go (stdout by default); tests pass a stream to read them. */
  stream?: NodeJS.WritableStream;
}

export function loggerOptions(name: string, options: LogOptions | false): FastifyServerOptions['logger'] {
  if (options === false) return false;
  return {
    name,
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (request: { id: string; method: string; url: string; headers: Record<string, unknown> }) => ({
        id: request.id,
        method: request.method,
        url: request.url,
        headers: { ...request.headers },
      }),
    },
    // A test's stream, else readable lines on a terminal, else JSON on stdout.
    ...(options.stream ? { stream: options.stream } : terminalStream()),
  } as FastifyServerOptions['logger'];
}

function terminalStream(): { stream?: NodeJS.WritableStream } {
  const stream = logDestination();
  return stream ? { stream } : {};
}
