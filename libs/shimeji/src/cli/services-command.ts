// `shimeji services [--json] [--token T]`: the services running on the broker, their instances
// and their entrypoints, as the shell's `.services` shows them.
import { AUTH_TOKEN_KEY } from '../access-tokens';
import { readConfig, type ServiceConfig } from '../config';
import { DEFAULT_DISCOVERY_WINDOW_MS, discoverServices } from '../discovery';
import { createTransport } from '../transport/create-transport';
import { formatListing } from './services-listing';

export interface ServicesOptions {
  token?: string;
  json?: boolean;
  /** How long to collect answers; a busy or distant broker may need more than the default. */
  windowMs?: number;
}

export async function servicesCommand(config: ServiceConfig, options: ServicesOptions = {}): Promise<number> {
  const transport = createTransport(readConfig.amqpUri(config), { heartbeatSeconds: readConfig.heartbeatSeconds(config), connectionName: 'shimeji services' });
  await transport.connect();
  try {
    const listing = await discoverServices(transport, {
      windowMs: options.windowMs ?? DEFAULT_DISCOVERY_WINDOW_MS,
      ...(options.token ? { contextData: { [AUTH_TOKEN_KEY]: options.token } } : {}),
    });
    process.stdout.write(options.json ? `${JSON.stringify(listing, null, 2)}\n` : formatListing(listing));
    return 0;
  } finally {
    await transport.close();
  }
}
