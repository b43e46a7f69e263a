// Under `npm start` nobody should have to make keys before trying the platform: when no access
// key is configured, a development pair for the facades and one for the services are generated
// into DATA_DIR/keys on the first start (private keys readable by this user only) and used from
// then on. Anywhere else the ACCESS_* settings name real keys.
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_KEYS } from '@platform/shimeji';

const isSet = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

const SETTINGS = [
  CONFIG_KEYS.accessUserSigningKey,
  CONFIG_KEYS.accessUserPublicKeys,
  CONFIG_KEYS.accessServiceSigningKey,
  CONFIG_KEYS.accessServicePublicKeys,
] as const;

export interface DevelopmentKeys {
  dir: string;
  /** Made by this start, not found from an earlier one. */
  generated: boolean;
}

function writePair(dir: string, name: string): void {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  fs.writeFileSync(path.join(dir, `${name}.key.pem`), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  fs.writeFileSync(path.join(dir, `${name}.pub.pem`), publicKey.export({ type: 'spki', format: 'pem' }));
}

/**
 * Fills the ACCESS_* settings with development keys under `dataDir/keys` when none is set;
 * undefined (nothing changed) when the config names keys of its own. Setting some but not all is
 * a mistake the services name at start.
 */
export function useDevelopmentKeys(config: Record<string, unknown>, dataDir: string): DevelopmentKeys | undefined {
  if (SETTINGS.some((key) => isSet(config[key]))) return undefined;
  const dir = path.join(dataDir, 'keys');
  const file = (name: string) => path.join(dir, name);
  const complete = ['users', 'services'].every((name) => fs.existsSync(file(`${name}.key.pem`)) && fs.existsSync(file(`${name}.pub.pem`)));
  if (!complete) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    writePair(dir, 'users');
    writePair(dir, 'services');
  }
  config[CONFIG_KEYS.accessUserSigningKey] = file('users.key.pem');
  config[CONFIG_KEYS.accessUserPublicKeys] = file('users.pub.pem');
  config[CONFIG_KEYS.accessServiceSigningKey] = file('services.key.pem');
  config[CONFIG_KEYS.accessServicePublicKeys] = file('services.pub.pem');
  return { dir, generated: !complete };
}
