// The four services' config for a test run: the run's broker, a fresh PostgreSQL database per
// service, the Stripe emulator and the test mailbox as their Stripe and mail server.
import { testDatabaseUrl } from '@platform/db/testing';
import type { ServiceConfig } from '@platform/shimeji';

export function servicesConfig(options: { uri: string; databasePrefix: string; stripeUrl: string; mailboxPort: number }): ServiceConfig {
  const { uri, databasePrefix, stripeUrl, mailboxPort } = options;
  return {
    AMQP_URI: uri,
    USER_DATABASE_URL: testDatabaseUrl(`${databasePrefix}_user`),
    PROJECT_DATABASE_URL: testDatabaseUrl(`${databasePrefix}_project`),
    PAYMENT_DATABASE_URL: testDatabaseUrl(`${databasePrefix}_payment`),
    MESSAGING_DATABASE_URL: testDatabaseUrl(`${databasePrefix}_messaging`),
    PASSWORD_SCRYPT_COST: 1024,
    STRIPE_API_KEY: 'sk_test_local',
    STRIPE_API_BASE: stripeUrl,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: mailboxPort,
    MAIL_FROM: 'Platform <no-reply@platform.test>',
  };
}
