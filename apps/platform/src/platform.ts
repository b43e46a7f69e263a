// The whole platform in one process: the four services on one runner, the Stripe emulator when
// payment would otherwise talk to it at its default address, and the three facades.
// Config: apps/platform/config.yaml (the same file the docker-compose containers use), filled in
// from the environment.
import fs from 'node:fs';
import path from 'node:path';
import { prepareEmbeddedClusters } from '@platform/db';
import type { StartedFacade } from '@platform/http';
import { MessagingService } from '@platform/messaging-service';
import { PaymentService } from '@platform/payment-service';
import { ProjectService } from '@platform/project-service';
import { loadConfigFile, redactUri, type ServiceConfig, ServiceRunner } from '@platform/shimeji';
import { startStripeEmulator, type StripeEmulator } from '@platform/stripe-emulator';
import { UserService } from '@platform/user-service';
import { useDevelopmentKeys } from './development-keys';
import { DEFINED_FACADES } from './facades';
import { DEFAULT_MAIL_PAGE_PORT, type MailPage, startMailPage } from './mail-page';
import { CONFIG_FILE } from './settings';

export { CONFIG_FILE };

export const SERVICES = ['user', 'project', 'payment', 'messaging'] as const;
export const LOCAL_STRIPE_KEY = 'sk_test_local';
export const DEFAULT_STRIPE_EMULATOR_PORT = 12111;

/**
 * The three facades, each started in this process (so it shares the in-memory broker) from its
 * own definition: name, port (`<NAME>_PORT`, else its default) and whom it serves.
 */
export const FACADES = DEFINED_FACADES.map((facade) => ({
  name: facade.name,
  port: facade.defaultPort,
  portVar: `${facade.name.toUpperCase()}_PORT`,
  audience: facade.forWhom,
  start: facade.start,
}));

export interface Platform {
  config: ServiceConfig;
  /** The start banner: broker, databases, Stripe, mail, accounts, facades. */
  banner: string[];
  stop(): Promise<void>;
  kill(): Promise<void>;
}

const isSet = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

async function listen(port: number): Promise<StripeEmulator> {
  try {
    return await startStripeEmulator({ port, host: '127.0.0.1' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return startStripeEmulator({ port: 0, host: '127.0.0.1' });
  }
}

export interface StartOptions {
  /** Where to say what takes long, as it begins (the banner comes only once everything runs). */
  progress?: (text: string) => void;
}

export async function startPlatform(env: NodeJS.ProcessEnv, options: StartOptions = {}): Promise<Platform> {
  const config: Record<string, unknown> = { ...loadConfigFile(CONFIG_FILE, env) };
  // Quiet by default on this machine: the banner says what runs. LOG_LEVEL=info shows every call.
  if (!isSet(env.LOG_LEVEL)) config.logLevel = 'warn';
  const banner: string[] = [];
  const line = (what: string, text: string) => banner.push(`  ${what.padEnd(12)} ${text}`);
  const dataDir = path.resolve(String(config.DATA_DIR || './data'));

  const embedded: string[] = [];
  const uri = String(config.AMQP_URI);
  line('broker', uri.startsWith('memory:') ? `in-memory transport (${uri}): in this process only; set AMQP_URI for RabbitMQ` : `RabbitMQ ${redactUri(uri)}`);
  for (const service of SERVICES) {
    const url = config[`${service.toUpperCase()}_DATABASE_URL`];
    line(`db ${service}`, isSet(url) ? `PostgreSQL ${redactUri(String(url))}` : `embedded PGlite in ${path.join(dataDir, service)}`);
    if (!isSet(url)) embedded.push(path.join(dataDir, service));
  }

  let stripe: StripeEmulator | undefined;
  const key = String(config.STRIPE_API_KEY ?? LOCAL_STRIPE_KEY);
  if (isSet(config.STRIPE_API_BASE)) line('stripe', `${String(config.STRIPE_API_BASE)} (STRIPE_API_BASE)`);
  else if (key === LOCAL_STRIPE_KEY) {
    stripe = await listen(Number(env.STRIPE_EMULATOR_PORT || DEFAULT_STRIPE_EMULATOR_PORT));
    config.STRIPE_API_BASE = stripe.url;
    line('stripe', `Stripe emulator in this process at ${stripe.url} (key ${LOCAL_STRIPE_KEY}; test cards pm_card_visa, …)`);
  } else line('stripe', `Stripe itself (STRIPE_API_KEY ${key.slice(0, 8)}…)`);

  if (isSet(config.SMTP_HOST)) line('mail', `SMTP ${String(config.SMTP_HOST)}:${String(config.SMTP_PORT)} from ${String(config.MAIL_FROM)}`);
  else line('mail', `no SMTP_HOST: emails written as .eml files to ${path.join(dataDir, 'mail')}`);

  for (const role of ['ADMIN', 'SUPPORT']) {
    const email = config[`INITIAL_${role}_EMAIL`];
    if (isSet(email) && isSet(config[`INITIAL_${role}_PASSWORD`])) {
      line(role.toLowerCase(), `${String(email)} / ${String(config[`INITIAL_${role}_PASSWORD`])} (INITIAL_${role}_EMAIL / _PASSWORD)`);
    }
  }

  const keys = useDevelopmentKeys(config, dataDir);
  if (keys) line('keys', `development access-token keys in ${keys.dir}${keys.generated ? ' (generated now)' : ''}; set ACCESS_* anywhere else`);
  else line('keys', 'access-token keys from ACCESS_USER_* / ACCESS_SERVICE_*');

  const runner = new ServiceRunner(config);
  runner.addService(UserService);
  runner.addService(ProjectService);
  runner.addService(PaymentService);
  runner.addService(MessagingService);
  // Creating and migrating PGlite databases takes many seconds, once: without a word the platform
  // would look hung.
  if (embedded.some((dir) => !fs.existsSync(dir))) {
    options.progress?.(`preparing embedded databases in ${dataDir} (first start only)…`);
  }
  try {
    // One initdb for every new embedded database, rather than one each.
    await prepareEmbeddedClusters(embedded);
    await runner.start();
  } catch (error) {
    await stripe?.close();
    throw error;
  }

  // The emails written as files, on a page as Mailpit shows them under docker-compose.
  let mailPage: MailPage | undefined;
  if (!isSet(config.SMTP_HOST) && env.MAIL_PAGE_PORT !== 'off') {
    try {
      mailPage = await startMailPage({ folder: path.join(dataDir, 'mail'), port: Number(env.MAIL_PAGE_PORT || DEFAULT_MAIL_PAGE_PORT), host: env.HOST || '127.0.0.1' });
    } catch (error) {
      await runner.stop();
      await stripe?.close();
      throw error;
    }
    line('mail page', `${mailPage.url} lists the emails sent, newest first (MAIL_PAGE_PORT; off for none)`);
  }

  const facades: StartedFacade[] = [];
  for (const facade of FACADES) {
    const started = await facade.start({ config, port: Number(env[facade.portVar] || facade.port), host: env.HOST || '127.0.0.1' });
    facades.push(started);
    line(facade.name, `${started.url} for ${facade.audience}, docs ${started.docsUrl}`);
  }

  const closeRest = async () => {
    await Promise.allSettled([...facades.map((f) => f.close()), mailPage?.close()]);
  };
  return {
    config,
    banner,
    stop: async () => {
      await closeRest();
      await runner.stop();
      await stripe?.close();
    },
    kill: async () => {
      await closeRest();
      await runner.kill();
      await stripe?.close();
    },
  };
}
