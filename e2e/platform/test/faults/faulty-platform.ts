// The platform for fault-injection tests: the services a test keeps in its own process (in one
// runner), the Stripe emulator, an SMTP sink and the web facade as `npm start` starts it (failing
// fast while its broker is gone), all on the broker URI the test gives (a proxy it can take
// down). A service the test runs as its own process reads the same database URLs.
import { randomUUID } from 'node:crypto';
import { createKnex } from '@platform/db';
import { MessagingService } from '@platform/messaging-service';
import { PaymentService } from '@platform/payment-service';
import { ProjectService } from '@platform/project-service';
import { type ServiceConfig, ServiceRunner } from '@platform/shimeji';
import { facadeAccessConfig } from '@platform/shimeji/testing';
import type { StripeEmulator } from '@platform/stripe-emulator';
import { UserService } from '@platform/user-service';
import { startFacade as startWebFacade } from '@platform/web';
import type { ReceivedMail } from '../mailbox';
import { servicesConfig, startStripeAndMailbox, type Stopping, stopEverything } from '../services-config';

type Knex = ReturnType<typeof createKnex>;

const SERVICES = { user: UserService, project: ProjectService, payment: PaymentService, messaging: MessagingService };
export type ServiceName = keyof typeof SERVICES;

export interface FaultyPlatform {
  webUrl: string;
  stripe: StripeEmulator;
  /** What the services sent to the test's SMTP server. */
  mails: readonly ReceivedMail[];
  /** The services' settings (broker, databases, Stripe, mailbox, test keys), for a service run as its own process. */
  config: Readonly<Record<string, unknown>>;
  /** Every service's database URL, those run elsewhere too. */
  databaseUrls: Record<ServiceName, string>;
  /** A connection of the test's own to a service's database: it reads what requests left there whatever the broker does. */
  db(service: ServiceName): Knex;
  stop(): Promise<void>;
}

export async function startFaultyPlatform(options: {
  brokerUri: string;
  inProcess: readonly ServiceName[];
  /** AMQP_QUEUE_TYPE of the services in process and the facade's reply queue (default classic). */
  queueType?: 'classic' | 'quorum';
}): Promise<FaultyPlatform> {
  const stopping: Stopping = [];
  const stopAll = () => stopEverything(stopping);
  try {
    const { stripe, mailbox } = await startStripeAndMailbox(stopping);
    const queueType = { AMQP_QUEUE_TYPE: options.queueType ?? 'classic' };
    const config: ServiceConfig = { ...servicesConfig({ uri: options.brokerUri, databasePrefix: 'faults', stripeUrl: stripe.url, mailboxPort: mailbox.port }), ...queueType };
    const databaseUrls: Record<ServiceName, string> = {
      user: String(config.USER_DATABASE_URL),
      project: String(config.PROJECT_DATABASE_URL),
      payment: String(config.PAYMENT_DATABASE_URL),
      messaging: String(config.MESSAGING_DATABASE_URL),
    };
    const runner = new ServiceRunner({ ...config, logLevel: 'silent' });
    for (const name of options.inProcess) runner.addService(SERVICES[name]);
    await runner.start();
    stopping.push(() => runner.stop());

    const web = await startWebFacade({
      // The bursts retry far more than a person would: the rate limits are not under test here.
      config: { ...facadeAccessConfig(), ...queueType, AMQP_URI: options.brokerUri, JWT_SECRET: `faults-${randomUUID()}`, logLevel: 'silent', LOGIN_RATE_LIMIT: 'off', PAYMENT_RATE_LIMIT: 'off' },
      port: 0,
      host: '127.0.0.1',
    });
    stopping.push(() => web.close());

    const connections = new Map<ServiceName, Knex>();
    const db = (service: ServiceName) => {
      if (!connections.has(service)) {
        const knex = createKnex({ url: databaseUrls[service] }, { poolSize: 4 });
        connections.set(service, knex);
        stopping.push(() => knex.destroy());
      }
      return connections.get(service)!;
    };
    return { webUrl: web.url, stripe, mails: mailbox.mails, config, databaseUrls, db, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** One HTTP attempt as the client saw it: its answer or the connection error, and when. */
export interface Attempt {
  startedAt: number;
  endedAt: number;
  status?: number;
  retryAfter?: string | null;
  error?: string;
  body?: any;
}

const RETRYABLE = new Set([502, 503, 504]);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A client that did not get an answer sends the same request with the same Idempotency-Key
 * again: on 502/503/504 and on connection errors, every 250 ms, until `withinMs` has passed.
 * Returns the last attempt; every attempt is also pushed to `log`.
 */
export async function sendUntilAnswered(
  url: string,
  init: { method: string; token?: string; key: string; json?: unknown },
  log: Attempt[],
  withinMs = 30_000,
): Promise<Attempt> {
  const deadline = Date.now() + withinMs;
  const headers: Record<string, string> = { 'idempotency-key': init.key };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  for (;;) {
    const attempt: Attempt = { startedAt: Date.now(), endedAt: 0 };
    try {
      const response = await fetch(url, { method: init.method, headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
      const text = await response.text();
      Object.assign(attempt, { status: response.status, retryAfter: response.headers.get('retry-after'), body: text ? JSON.parse(text) : undefined });
    } catch (error) {
      attempt.error = String((error as Error).cause ?? error);
    }
    attempt.endedAt = Date.now();
    log.push(attempt);
    const retry = attempt.error !== undefined || RETRYABLE.has(attempt.status!);
    if (!retry || Date.now() >= deadline) return attempt;
    await pause(250);
  }
}

/** Registers a customer with the web facade and logs them in: their id and token. */
export async function signUp(webUrl: string): Promise<{ id: string; token: string }> {
  const email = `faults-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'correct horse battery';
  const post = async (path: string, json: unknown) => {
    const res = await fetch(`${webUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
    const body = (await res.json()) as { id: string; token: string };
    if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  };
  const { id } = await post('/register', { email, name: 'Faulty Fay', password });
  const { token } = await post('/login', { email, password });
  return { id, token };
}
