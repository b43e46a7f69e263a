// `shimeji token`: an operator asks for an access token explicitly, signed with the facades' key,
// to call services from `shimeji shell --token …` or a script. Services hold only public keys, so
// on a service's machine this refuses: it has nothing to sign with.
import { userIssuerFromConfig } from '../access-keys';
import { SERVICE_ROLE } from '../access-tokens';
import type { ServiceConfig } from '../config';
import { ConfigError } from '../config-file';
import { CONFIG_KEYS } from '../constants';
import { parseDuration } from '../duration';

export interface TokenOptions {
  role?: string;
  sub?: string;
  ttl?: string;
  audience?: string;
  /** A private key file (PEM) instead of the config's ACCESS_USER_SIGNING_KEY. */
  key?: string;
}

const MAX_TTL_MS = 3_600_000;

export async function tokenCommand(config: ServiceConfig, options: TokenOptions): Promise<number> {
  if (!options.role) throw new ConfigError('token needs --role (customer, admin, support…)');
  if (options.role === SERVICE_ROLE) throw new ConfigError('token cannot mint a service identity: each service signs its own');
  if (!options.sub) throw new ConfigError('token needs --sub, the id of the user it stands for');
  const ttlMs = parseDuration(options.ttl ?? '10m');
  if (ttlMs === undefined || ttlMs <= 0 || ttlMs > MAX_TTL_MS) throw new ConfigError('--ttl must be a duration up to 1h, such as 10m');
  const withKey = options.key ? { ...config, [CONFIG_KEYS.accessUserSigningKey]: options.key } : config;
  let issuer;
  try {
    issuer = await userIssuerFromConfig(withKey, 'shimeji token');
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}; or give --key <file>. Only a facade's machine holds it: services cannot mint tokens`);
  }
  const audience = options.audience ?? 'admin';
  const token = await issuer.mint({ sub: options.sub, role: options.role, audience, ttlMs });
  process.stderr.write(`a token for ${options.sub} as ${options.role} (audience ${audience}), until ${new Date(Date.now() + ttlMs).toISOString()}\n`);
  process.stdout.write(`${token}\n`);
  return 0;
}
