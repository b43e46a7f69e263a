// `shimeji show-config` run as an operator runs it: the config they can read, without its secrets.
import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { startCli } from './cli-process';

describe('shimeji show-config', () => {
  it('prints the config with every secret redacted and what an operator needs kept', async () => {
    const privatePem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const cli = startCli(['show-config', '--config', path.join(__dirname, 'fixtures/with-secrets.yaml')], { SHOW_CONFIG_SIGNING_KEY: privatePem });
    expect(await cli.exited).toBe(0);
    const output = cli.output();
    for (const secret of ['amqp-pass', 'db-pass', 'smtp-pass', 'jwt-secret-value', 'stripe-key', 'admin-password', privatePem.split('\n')[1]]) {
      expect(output).not.toContain(secret);
    }
    expect(output).toContain('AMQP_URI: amqp://guest:***@rabbit:5672/\n');
    expect(output).toContain('USER_DATABASE_URL: postgres://user:***@pg:5432/user\n');
    expect(output).toContain('SMTP_PASSWORD: "***"\n');
    expect(output).toContain('WEB_JWT_SECRET: "***"\n');
    expect(output).toContain('INITIAL_SUPPORT_PASSWORD: ""\n');
    expect(output).toContain('SMTP_USER: mailer\n');
    expect(output).toContain('ACCESS_SERVICE_SIGNING_KEY: data/keys/services.key.pem\n');
    expect(output).toContain('ACCESS_TOKEN_TTL: 5m\n');
    expect(output).toContain('PASSWORD_SCRYPT_COST: 131072\n');
  });
});
