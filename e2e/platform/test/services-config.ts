// The four services' config for a test run (the run's broker, a fresh PostgreSQL database per
// service, the Stripe emulator and the test mailbox as their Stripe and mail server), and the
// starting and stopping of what they lean on.
import { testDatabaseUrl } from '@platform/db/testing';
import type { ServiceConfig } from '@platform/shimeji';
import { facadeAccessConfig } from '@platform/shimeji/testing';
import { startStripeEmulator } from '@platform/stripe-emulator';
import { startMailbox } from './mailbox';

export function servicesConfig(options: { uri: string; databasePrefix: string; stripeUrl: string; mailboxPort: number }): ServiceConfig {
  const { uri, databasePrefix, stripeUrl, mailboxPort } = options;
  return {
    // The test keys: services check tokens with them, facades started from this config sign with them.
    ...facadeAccessConfig(),
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

/** What a platform under test must close, in the order it was started. */
export type Stopping = (() => Promise<unknown>)[];

/** Closes everything on `stopping`, newest first, whatever one of them fails with. */
export async function stopEverything(stopping: Stopping): Promise<void> {
  for (const stop of stopping.splice(0).reverse()) await stop().catch(() => undefined);
}

/** The Stripe emulator and the test mailbox the services use, each put on `stopping` to close. */
export async function startStripeAndMailbox(stopping: Stopping) {
  const stripe = await startStripeEmulator();
  stopping.push(() => stripe.close());
  const mailbox = await startMailbox();
  stopping.push(() => mailbox.close());
  return { stripe, mailbox };
}
