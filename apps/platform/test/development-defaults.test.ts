import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEVELOPMENT_KEYS_DIR, developmentValuesInUse, keyFingerprint, platformDevelopmentValues } from '../src/development-defaults';
import { problems } from './settings-problems';

const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
};


describe('known development values', () => {
  const development = pair();
  const known = [
    { what: 'the demo secret', secret: 'demo-secret' },
    { what: 'the demo key', keyFingerprint: keyFingerprint(development.publicPem) },
  ];

  test('a secret equal to a known one is named by its setting, whichever setting holds it', () => {
    expect(developmentValuesInUse({ JWT_SECRET: 'demo-secret', ADMIN_JWT_SECRET: 'own', SMTP_HOST: 'mail' }, known)).toEqual([
      "JWT_SECRET is the demo secret: set one of this deployment's own",
    ]);
    expect(developmentValuesInUse({ WEB_JWT_SECRET: 'demo-secret' }, known)).toEqual(["WEB_JWT_SECRET is the demo secret: set one of this deployment's own"]);
  });

  test('a key setting holding either half of a known pair, as PEM text or in a file or folder, is named', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-keys-'));
    fs.writeFileSync(path.join(dir, 'users.pub.pem'), development.publicPem);
    const own = pair();
    expect(
      developmentValuesInUse(
        {
          ACCESS_USER_SIGNING_KEY: development.privatePem,
          ACCESS_USER_PUBLIC_KEYS: `${path.join(dir, 'missing.pem')}, ${dir}`,
          ACCESS_SERVICE_SIGNING_KEY: own.privatePem,
          ACCESS_SERVICE_PUBLIC_KEYS: own.publicPem,
        },
        known,
      ),
    ).toEqual([
      "ACCESS_USER_SIGNING_KEY holds the demo key: set keys of this deployment's own",
      "ACCESS_USER_PUBLIC_KEYS holds the demo key: set keys of this deployment's own",
    ]);
  });

  test('the platform knows its default JWT secret and every key committed for docker-compose', () => {
    const values = platformDevelopmentValues({ JWT_SECRET: 'local-development-secret-do-not-use-elsewhere' });
    expect(values).toContainEqual({ what: "config.yaml's development default JWT secret", secret: 'local-development-secret-do-not-use-elsewhere' });
    const committed = fs.readdirSync(DEVELOPMENT_KEYS_DIR).filter((name) => name.endsWith('.pub.pem'));
    expect(committed.length).toBeGreaterThan(0);
    for (const name of committed) {
      expect(values).toContainEqual(expect.objectContaining({ keyFingerprint: keyFingerprint(fs.readFileSync(path.join(DEVELOPMENT_KEYS_DIR, name), 'utf8')) }));
    }
  });
});

describe('the settings npm start reads, under NODE_ENV=production', () => {
  const own = pair();
  const ownKeys = { ACCESS_USER_SIGNING_KEY: own.privatePem, ACCESS_USER_PUBLIC_KEYS: own.publicPem };

  test('refuse the default JWT secret, naming JWT_SECRET', () => {
    expect(problems({ NODE_ENV: 'production', ...ownKeys })).toEqual([
      "JWT_SECRET is config.yaml's development default JWT secret: set one of this deployment's own",
    ]);
  });

  test('refuse the committed development keys, naming the setting', () => {
    const env = { NODE_ENV: 'production', JWT_SECRET: 'a secret of this deployment', ACCESS_SERVICE_SIGNING_KEY: path.join(DEVELOPMENT_KEYS_DIR, 'services.key.pem') };
    expect(problems(env)).toEqual([expect.stringMatching(/^ACCESS_SERVICE_SIGNING_KEY holds a development key committed under docker\/development-keys/)]);
  });

  test("refuse a password hash cost below OWASP's minimum, naming PASSWORD_SCRYPT_COST", () => {
    expect(problems({ NODE_ENV: 'production', JWT_SECRET: 'a secret of this deployment', ...ownKeys, PASSWORD_SCRYPT_COST: '16384' })).toEqual([
      "PASSWORD_SCRYPT_COST is 16384: under NODE_ENV=production expected at least 131072 (OWASP's minimum for scrypt)",
    ]);
  });

  test("accept a deployment's own secret and keys", () => {
    expect(problems({ NODE_ENV: 'production', JWT_SECRET: 'a secret of this deployment', ...ownKeys })).toEqual([]);
  });

  test('leave the development defaults alone outside production', () => {
    expect(problems({})).toEqual([]);
    expect(problems({ NODE_ENV: 'development', ACCESS_USER_SIGNING_KEY: path.join(DEVELOPMENT_KEYS_DIR, 'users.key.pem') })).toEqual([]);
  });
});
