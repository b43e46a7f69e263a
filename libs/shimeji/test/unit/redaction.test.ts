import { generateKeyPairSync } from 'node:crypto';
import { isSecretName, REDACTED, redactConfig, redactText, redactUri } from '../../src';

const privatePem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe('redaction', () => {
  test.each([
    'SMTP_PASSWORD', 'INITIAL_ADMIN_PASSWORD', 'INITIAL_SUPPORT_PASSWORD', 'JWT_SECRET', 'WEB_JWT_SECRET', 'STRIPE_API_KEY',
    'ACCESS_USER_SIGNING_KEY', 'ACCESS_SERVICE_SIGNING_KEY', 'SHIMEJI_TOKEN', 'auth_token', 'stripeKey', 'clientSecret', 'DBPASSWORD', 'TLS_PRIVATE_KEY_PEM',
  ])('%s is a secret by its name', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  test.each([
    'AMQP_URI', 'USER_DATABASE_URL', 'SMTP_USER', 'PASSWORD_SCRYPT_COST', 'ACCESS_TOKEN_TTL', 'ACCESS_USER_PUBLIC_KEYS', 'ACCESS_AUDIENCES',
    'LOGIN_RATE_LIMIT', 'maxWorkers', 'logLevel', 'MONKEY',
  ])('%s is not a secret by its name', (name) => {
    expect(isSecretName(name)).toBe(false);
  });

  test('a URI keeps everything but its password, which an operator does not need', () => {
    expect(redactText('amqp://guest:guest@rabbit:5672/vhost')).toBe(`amqp://guest:${REDACTED}@rabbit:5672/vhost`);
    expect(redactText('postgres://app:s3cr@t@db:5432/users?ssl=true')).toBe(`postgres://app:${REDACTED}@db:5432/users?ssl=true`);
    expect(redactText('connecting to redis://:only-a-password@cache:6379 now')).toBe(`connecting to redis://:${REDACTED}@cache:6379 now`);
    expect(redactUri('amqp://guest:guest@127.0.0.1:5672/')).toBe(`amqp://guest:${REDACTED}@127.0.0.1:5672/`);
  });

  test('a URI with no password, and text with no secret in it, stay as they are', () => {
    expect(redactText('postgres://postgres@127.0.0.1:5432/db')).toBe('postgres://postgres@127.0.0.1:5432/db');
    expect(redactText('memory://platform')).toBe('memory://platform');
    expect(redactText('user admin@platform.local logged in at 10:30')).toBe('user admin@platform.local logged in at 10:30');
  });

  test('a PEM private key is replaced wherever it stands (a truncated one too), its label kept; a public key is not a secret', () => {
    const redacted = redactText(`key: ${privatePem} and ${publicPem}`);
    expect(redacted).toContain(`-----BEGIN PRIVATE KEY-----${REDACTED}-----END PRIVATE KEY-----`);
    expect(redacted).not.toContain(privatePem.split('\n')[1]);
    expect(redacted).toContain(publicPem.trim());
    expect(redactText('-----BEGIN RSA PRIVATE KEY-----\nMIIEow truncated')).toBe(`-----BEGIN RSA PRIVATE KEY-----${REDACTED}-----END RSA PRIVATE KEY-----`);
  });

  test('a JWT is replaced', () => {
    const jwt = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLWJ5dGVz';
    expect(redactText(`Bearer ${jwt}`)).toBe(`Bearer ${REDACTED}`);
  });

  test('a config is shown with its secrets hidden, what is unset still unset, and key files named', () => {
    const config = {
      AMQP_URI: 'amqp://guest:hunter2@rabbit:5672/',
      USER_DATABASE_URL: 'postgres://user:db-pass@pg:5432/user',
      SMTP_USER: 'mailer',
      SMTP_PASSWORD: 'smtp-pass',
      SMTP_PORT: 587,
      JWT_SECRET: 'local-development-secret-do-not-use-elsewhere',
      ADMIN_JWT_SECRET: 'admin-secret',
      STRIPE_API_KEY: 'sk_live_123',
      INITIAL_ADMIN_PASSWORD: 'admin-password',
      INITIAL_SUPPORT_PASSWORD: '',
      PASSWORD_SCRYPT_COST: 131072,
      ACCESS_USER_SIGNING_KEY: privatePem,
      ACCESS_SERVICE_SIGNING_KEY: 'data/keys/services.key.pem',
      ACCESS_USER_PUBLIC_KEYS: publicPem,
      ACCESS_TOKEN_TTL: '5m',
      nested: { apiToken: 'tok', url: 'https://u:p@example.com/' },
    };
    expect(redactConfig(config)).toEqual({
      ...config,
      AMQP_URI: `amqp://guest:${REDACTED}@rabbit:5672/`,
      USER_DATABASE_URL: `postgres://user:${REDACTED}@pg:5432/user`,
      SMTP_PASSWORD: REDACTED,
      JWT_SECRET: REDACTED,
      ADMIN_JWT_SECRET: REDACTED,
      STRIPE_API_KEY: REDACTED,
      INITIAL_ADMIN_PASSWORD: REDACTED,
      ACCESS_USER_SIGNING_KEY: REDACTED,
      nested: { apiToken: REDACTED, url: `https://u:${REDACTED}@example.com/` },
    });
    expect(config.JWT_SECRET).toBe('local-development-secret-do-not-use-elsewhere'); // a copy: the config itself is untouched
  });
});
