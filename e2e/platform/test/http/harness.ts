// The whole platform for the HTTP suite, on the run's RabbitMQ and PostgreSQL: the four services
// in one runner (a database each), the Stripe emulator, an SMTP sink, and the three facades
// listening on free ports, each with its real RPC client behind a counting proxy. One per test
// file: `const platform = usePlatform();` starts it before the file's tests and stops it after.
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import pino from 'pino';
import type { AddressInfo } from 'node:net';
import { buildAdminApp, callerCheck as adminCallerCheck, remoteErrors as adminErrors } from '@platform/admin';
import type { Database } from '@platform/db';
import { databaseOf, rowCounts } from '@platform/db/testing';
import { type AccessTokenOptions, type CallerCheck, type Facade, type LogOptions, listenForStandingChanges, type RateLimits, type RpcClient } from '@platform/http';
import { MessagingService } from '@platform/messaging-service';
import { PaymentService } from '@platform/payment-service';
import { ProjectService } from '@platform/project-service';
import { ClusterRpcClient, type ErrorRegistry, ServiceRunner } from '@platform/shimeji';
import { eventually, testBrokerUri } from '@platform/shimeji/testing';
import { testAccessTokens } from '@platform/http/testing';
import type { StripeEmulator } from '@platform/stripe-emulator';
import { buildSupportApp, callerCheck as supportCallerCheck, remoteErrors as supportErrors } from '@platform/support';
import { UserService } from '@platform/user-service';
import { buildWebApp, callerCheck as webCallerCheck, remoteErrors as webErrors } from '@platform/web';
import { type ReceivedMail, startMailbox } from '../mailbox';
import { servicesConfig, startStripeAndMailbox, type Stopping, stopEverything } from '../services-config';
import { CountingRpc, FacadeClient } from './client';

export { eventually };

/** The key all three facades sign with, as JWT_SECRET gives it to them on the platform. */
export const JWT_SECRET = 'e2e-http-secret-e2e-http-secret-0123';
export const ADMIN = { email: 'admin@e2e.test', password: 'admin-password' };
export const SUPPORT = { email: 'support@e2e.test', password: 'support-password' };
export const PASSWORD = 'correct horse battery';

/** Row counts unchanged this long are taken as settled. */
const SETTLED_MS = 300;

export type FacadeName = 'web' | 'admin' | 'support';
/** What the suite may set on a facade besides its RPC client and key. */
export interface FacadeOptions {
  rateLimits?: RateLimits;
  /** Default: the facade's own, as startFacade gives it (30 s ttl). */
  callerCheck?: CallerCheck;
}
type Build = (options: FacadeOptions & { rpcClient: RpcClient; jwtSecret: string; logger: LogOptions | false; accessTokens: AccessTokenOptions }) => Promise<Facade>;
export const FACADES: Record<FacadeName, { build: Build; errors: ErrorRegistry; callerCheck: CallerCheck }> = {
  web: { build: buildWebApp, errors: webErrors, callerCheck: webCallerCheck },
  admin: { build: buildAdminApp, errors: adminErrors, callerCheck: adminCallerCheck },
  support: { build: buildSupportApp, errors: supportErrors, callerCheck: supportCallerCheck },
};

const SERVICES = { user: UserService, project: ProjectService, payment: PaymentService, messaging: MessagingService };
export type ServiceName = keyof typeof SERVICES;

export type Mailbox = Awaited<ReturnType<typeof startMailbox>>;

export interface Customer {
  id: string;
  email: string;
  name: string;
  /** A web token, from logging in. */
  token: string;
}

export interface Platform {
  web: FacadeClient;
  admin: FacadeClient;
  support: FacadeClient;
  stripe: StripeEmulator;
  mailbox: Mailbox;
  /** A service's own database, to read what a request left there. */
  db(service: ServiceName): Database<any>['knex'];
  /** The email to `to` whose text matches, once it arrived at the SMTP sink. */
  mailTo(to: string, matching: RegExp): Promise<ReceivedMail>;
  /** Every email to `to` whose text matches, as it is now. */
  mailsTo(to: string, matching: RegExp): ReceivedMail[];
  /** Rows per table of every service's database, as `service.table`. */
  rowCounts(): Promise<Record<string, number>>;
  /** rowCounts once they stopped moving (what earlier requests set off has landed). */
  settledRowCounts(): Promise<Record<string, number>>;
  /** Registers a customer with a unique email through the web facade and logs them in (one /register and one /login of its rate limits). */
  signUp(name: string): Promise<Customer>;
  /** Another instance of a facade on the same services, stopped with the platform (its own rate-limit counts). */
  startFacade(name: FacadeName, options?: FacadeOptions): Promise<FacadeClient>;
  stop(): Promise<void>;
}

export const uniqueEmail = (name: string): string => `${name.toLowerCase().replace(/\W+/g, '-')}-${randomUUID().slice(0, 8)}@example.com`;

export interface PlatformOptions {
  /** Every log line of the services and facades, at debug, as JSON lines (default: none). */
  logTo?: Writable;
  /** The three facades' rate limits (default: each facade's own). */
  rateLimits?: RateLimits;
}

export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const uri = testBrokerUri();
  const { logTo } = options;
  const logger = logTo ? pino({ level: 'debug' }, logTo) : undefined;
  const stopping: Stopping = [];
  const stopAll = () => stopEverything(stopping);
  try {
    const { stripe, mailbox } = await startStripeAndMailbox(stopping);

    const runner = new ServiceRunner({
      ...servicesConfig({ uri, databasePrefix: 'http', stripeUrl: stripe.url, mailboxPort: mailbox.port }),
      logLevel: logger ? 'debug' : 'silent',
      INITIAL_ADMIN_EMAIL: ADMIN.email,
      INITIAL_ADMIN_PASSWORD: ADMIN.password,
      INITIAL_SUPPORT_EMAIL: SUPPORT.email,
      INITIAL_SUPPORT_PASSWORD: SUPPORT.password,
    }, logger ? { logger } : {});
    for (const service of Object.values(SERVICES)) runner.addService(service);
    await runner.start();
    stopping.push(() => runner.stop());

    const startFacade = async (name: FacadeName, options: FacadeOptions = {}): Promise<FacadeClient> => {
      const { build, errors, callerCheck } = FACADES[name];
      const client = await ClusterRpcClient.connect({ uri, errors, timeoutMs: 30_000, connectionName: `e2e ${name} facade` });
      stopping.push(() => client.close());
      const rpc = new CountingRpc(client);
      const app = await build({ callerCheck, ...options, rpcClient: rpc, jwtSecret: JWT_SECRET, logger: logTo ? { level: 'debug', stream: logTo } : false, accessTokens: await testAccessTokens() });
      stopping.push(() => app.close());
      // As a started facade does: news of suspensions and new roles drops a cached standing.
      const standings = app.callerStandings;
      if (standings) {
        const changes = await listenForStandingChanges(name, { AMQP_URI: uri, logLevel: 'silent' }, (userId) => standings.forget(userId));
        stopping.push(() => changes.stop());
      }
      await app.listen({ port: 0, host: '127.0.0.1' });
      return new FacadeClient(name, `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, rpc);
    };
    const facadeOptions: FacadeOptions = options.rateLimits ? { rateLimits: options.rateLimits } : {};
    const [web, admin, support] = await Promise.all([startFacade('web', facadeOptions), startFacade('admin', facadeOptions), startFacade('support', facadeOptions)]);

    const knexOf = (service: ServiceName) => databaseOf(runner.container(service)!).knex;
    const tables = new Map<ServiceName, Promise<string[]>>();
    const tablesOf = (service: ServiceName) => {
      if (!tables.has(service)) {
        const names = knexOf(service)('information_schema.tables').where({ table_schema: 'public' }).pluck('table_name');
        tables.set(service, Promise.resolve(names).then((found: string[]) => found.sort()));
      }
      return tables.get(service)!;
    };
    const counts = async (): Promise<Record<string, number>> => {
      const perService = await Promise.all(
        (Object.keys(SERVICES) as ServiceName[]).map(async (service) => {
          const rows = await rowCounts(knexOf(service), await tablesOf(service));
          return Object.entries(rows).map(([table, n]) => [`${service}.${table}`, n] as const);
        }),
      );
      return Object.fromEntries(perService.flat());
    };
    const settledRowCounts = async () => {
      let last = '';
      let since = Date.now();
      return eventually(
        'the row counts to settle',
        async () => {
          const now = await counts();
          if (JSON.stringify(now) !== last) [last, since] = [JSON.stringify(now), Date.now()];
          return Date.now() - since >= SETTLED_MS ? now : undefined;
        },
        20_000,
      );
    };

    const signUp = async (name: string): Promise<Customer> => {
      const email = uniqueEmail(name);
      const registered = await web.post('/register', { email, name, password: PASSWORD });
      if (registered.status !== 201) throw new Error(`registering ${email}: ${registered.status} ${JSON.stringify(registered.body)}`);
      return { id: registered.body.id as string, email, name, token: await web.login(email, PASSWORD) };
    };

    const mailsTo = (to: string, matching: RegExp) => mailbox.mails.filter((m) => m.to.includes(to) && matching.test(m.raw));

    return {
      web,
      admin,
      support,
      stripe,
      mailbox,
      db: knexOf,
      mailsTo,
      mailTo: (to, matching) => eventually(`an email to ${to} matching ${matching}`, () => mailsTo(to, matching)[0], 20_000),
      rowCounts: counts,
      settledRowCounts,
      signUp,
      startFacade,
      stop: async () => {
        // What the file's requests set off lands before the services stop, so nothing of it is
        // left on the broker for the next file's services (they share the run's vhost).
        await settledRowCounts().catch(() => undefined);
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** One platform for the test file: started in beforeAll, stopped in afterAll. */
export function usePlatform(options: PlatformOptions = {}): Platform {
  let platform: Platform | undefined;
  beforeAll(async () => {
    platform = await startPlatform(options);
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
  }, 60_000);
  return new Proxy({} as Platform, {
    get: (_target, key) => {
      if (!platform) throw new Error('the platform is not started: use it inside a test');
      return platform[key as keyof Platform];
    },
  });
}
