// Values that are fine on a developer's machine and a hole anywhere else: the JWT secret
// config.yaml falls back to, and the access-token key pairs committed under
// docker/development-keys (docker-compose mounts them; with their private halves in the repository,
// anyone can mint tokens they would accept). Under NODE_ENV=production the platform refuses them.
// The list is data, so another development value is one more entry, not another check.
import { createHash, createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_KEYS, pemBlocks } from '@platform/shimeji';

/** A value known to be a development one: a secret as written, or a key by its fingerprint. */
export type DevelopmentValue = { what: string } & ({ secret: string } | { keyFingerprint: string });

/** The settings that hold access-token keys (PEM text, files, or folders of .pem). */
export const KEY_SETTINGS = [
  CONFIG_KEYS.accessUserSigningKey,
  CONFIG_KEYS.accessUserPublicKeys,
  CONFIG_KEYS.accessServiceSigningKey,
  CONFIG_KEYS.accessServicePublicKeys,
] as const;

/**
 * A key's fingerprint: the sha256 of its public half (SPKI DER), hex. The same for a private key
 * and its public key, so a setting holding either half of a development pair is found.
 */
export function keyFingerprint(pem: string): string {
  return createHash('sha256').update(createPublicKey(pem).export({ type: 'spki', format: 'der' })).digest('hex');
}

function fingerprintsOf(value: unknown): string[] {
  // Unreadable files are skipped: the services name those at start.
  return pemBlocks('key setting', value, { skipMissing: true }).flatMap((block) => {
    try {
      return [keyFingerprint(block)];
    } catch {
      return [];
    }
  });
}

/**
 * One line per setting that holds a known development value, naming the setting and what it is:
 * a secret anywhere in the config (JWT_SECRET, WEB_JWT_SECRET, …), a key in any key setting.
 */
export function developmentValuesInUse(config: Record<string, unknown>, known: readonly DevelopmentValue[]): string[] {
  const problems: string[] = [];
  for (const [setting, value] of Object.entries(config)) {
    const secret = known.find((entry) => 'secret' in entry && entry.secret === value);
    if (secret) problems.push(`${setting} is ${secret.what}: set one of this deployment's own`);
  }
  for (const setting of KEY_SETTINGS) {
    const fingerprints = fingerprintsOf(config[setting]);
    const key = known.find((entry) => 'keyFingerprint' in entry && fingerprints.includes(entry.keyFingerprint));
    if (key) problems.push(`${setting} holds ${key.what}: set keys of this deployment's own`);
  }
  return problems;
}

/** The committed development pairs docker-compose mounts (their public halves: fingerprints match either half). */
export const DEVELOPMENT_KEYS_DIR = path.resolve(__dirname, '..', '..', '..', 'docker', 'development-keys');

/** The platform's development values: config.yaml's default JWT secret and the committed key pairs. */
export function platformDevelopmentValues(defaults: Record<string, unknown>, keysDir = DEVELOPMENT_KEYS_DIR): DevelopmentValue[] {
  const values: DevelopmentValue[] = [];
  if (typeof defaults.JWT_SECRET === 'string' && defaults.JWT_SECRET) {
    values.push({ what: "config.yaml's development default JWT secret", secret: defaults.JWT_SECRET });
  }
  for (const fingerprint of fingerprintsOf(fs.existsSync(keysDir) ? keysDir : [])) {
    values.push({ what: `a development key committed under ${path.relative(path.resolve(__dirname, '..', '..', '..'), keysDir)}`, keyFingerprint: fingerprint });
  }
  return values;
}
