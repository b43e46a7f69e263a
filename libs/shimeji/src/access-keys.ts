// The access-token settings of a process, read once and checked with an error naming the setting.
import type { ServiceConfig } from './config';
import { CONFIG_KEYS, DEFAULTS } from './constants';
import { parseDuration } from './duration';
import { type NamedKey, readPublicKeys, readSigningKey, TokenIssuer, TokenVerifier } from './access-tokens';

const isSet = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

/** Whether the config says anything about access tokens: then every piece it needs must be there. */
export function accessConfigured(config: ServiceConfig): boolean {
  return [CONFIG_KEYS.accessUserPublicKeys, CONFIG_KEYS.accessServicePublicKeys, CONFIG_KEYS.accessServiceSigningKey].some((key) =>
    isSet(config[key]),
  );
}

/** ACCESS_TOKEN_TTL in ms. */
export function accessTokenTtlMs(config: ServiceConfig): number {
  const raw = config[CONFIG_KEYS.accessTokenTtl] ?? DEFAULTS.accessTokenTtl;
  const ms = parseDuration(raw);
  if (ms === undefined || ms < 10_000 || ms > 3_600_000) {
    throw new Error(`config ${CONFIG_KEYS.accessTokenTtl} must be a duration from 10s to 1h, such as 5m, got ${JSON.stringify(raw)}`);
  }
  return ms;
}

function audiences(config: ServiceConfig): string[] {
  const raw = config[CONFIG_KEYS.accessAudiences] ?? DEFAULTS.accessAudiences;
  const list = (typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw.map(String) : []).map((a) => a.trim()).filter(Boolean);
  if (list.length === 0) throw new Error(`config ${CONFIG_KEYS.accessAudiences} must list the facades whose tokens are accepted, such as web, admin`);
  return list;
}

/**
 * What checks the tokens a service is called with. The public half of the service's own signing
 * key is trusted as a service key, so a deployment may give every service one key.
 */
export async function verifierFromConfig(config: ServiceConfig, serviceName: string): Promise<TokenVerifier> {
  const userKeysSetting = CONFIG_KEYS.accessUserPublicKeys;
  if (!isSet(config[userKeysSetting])) {
    throw new Error(
      `${serviceName} checks the access token of every call, but ${userKeysSetting} is not set: give the facades' public keys (PEM text, files or a folder)`,
    );
  }
  const users = await readPublicKeys(userKeysSetting, config[userKeysSetting]);
  const services: NamedKey[] = isSet(config[CONFIG_KEYS.accessServicePublicKeys])
    ? await readPublicKeys(CONFIG_KEYS.accessServicePublicKeys, config[CONFIG_KEYS.accessServicePublicKeys])
    : [];
  if (isSet(config[CONFIG_KEYS.accessServiceSigningKey])) {
    services.push(await readSigningKey(CONFIG_KEYS.accessServiceSigningKey, config[CONFIG_KEYS.accessServiceSigningKey]));
  }
  return new TokenVerifier({ users, services, audiences: audiences(config) });
}

/** The issuer of a service's own identity, or undefined when the config sets no service key. */
export async function serviceIssuerFromConfig(config: ServiceConfig): Promise<TokenIssuer | undefined> {
  const setting = CONFIG_KEYS.accessServiceSigningKey;
  return isSet(config[setting]) ? new TokenIssuer(await readSigningKey(setting, config[setting])) : undefined;
}

/** The issuer of a facade's users' tokens: required, since services refuse calls without one. */
export async function userIssuerFromConfig(config: ServiceConfig, who: string): Promise<TokenIssuer> {
  const setting = CONFIG_KEYS.accessUserSigningKey;
  if (!isSet(config[setting])) throw new Error(`set ${setting}: the private key ${who} signs its callers' access tokens with (PEM text or a file)`);
  return new TokenIssuer(await readSigningKey(setting, config[setting]));
}
