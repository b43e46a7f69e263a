// The platform's main program on RabbitMQ and PostgreSQL (the run's vhost and databases), called
// over RPC from here as any other process would: register, project, order, card, pay, and the
// confirmation written as an .eml file (no SMTP host); then SIGTERM stops it with exit 0.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseUrl } from '@platform/db/testing';
import { accessToken, rpcClientFactory, testBrokerUri } from '@platform/shimeji/testing';
import { type RunningPlatform, spawnPlatform } from './spawn-platform';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function eventually<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(100);
  }
}

interface Remote {
  registerUser(email: string, name: string, password: string): { id: string };
  authenticate(email: string, password: string): { id: string; role: string };
  createProject(ownerId: string, name: string): { id: string };
  placeOrder(projectId: string, userId: string, description: string, amount: number, currency: string): { id: string };
  getTransactionByOrder(orderId: string): { state: string };
  addPaymentMethod(userId: string, token: string): { id: string };
  payOrder(orderId: string, paymentMethodId: string, userId: string): { state: string; amount: number };
}

describe('the platform on RabbitMQ and PostgreSQL', () => {
  const uri = testBrokerUri();
  const clients = rpcClientFactory({ uri, timeoutMs: 30_000 });
  let dataDir: string;
  let platform: RunningPlatform | undefined;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-real-'));
  });

  afterEach(async () => {
    if (platform && platform.child.exitCode === null) {
      platform.child.kill('SIGKILL');
      await platform.exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the main flow over RPC and writes the confirmation email, then stops on SIGTERM', async () => {
    platform = spawnPlatform({
      AMQP_URI: uri,
      USER_DATABASE_URL: testDatabaseUrl('platform_user'),
      PROJECT_DATABASE_URL: testDatabaseUrl('platform_project'),
      PAYMENT_DATABASE_URL: testDatabaseUrl('platform_payment'),
      MESSAGING_DATABASE_URL: testDatabaseUrl('platform_messaging'),
      DATA_DIR: dataDir,
      PASSWORD_SCRYPT_COST: '1024',
      STRIPE_EMULATOR_PORT: '0',
    });
    const banner = await platform.waitFor(/platform ready/);
    expect(banner).toMatch(/broker\s+RabbitMQ amqp:\/\//);
    expect(banner).toMatch(/db user\s+PostgreSQL postgres/);
    expect(banner).not.toContain('PGlite');

    expect(banner).toMatch(/keys\s+development access-token keys in .*keys \(generated now\)/);

    // Called as a facade would, with the development key the platform generated into DATA_DIR.
    const privateKey = fs.readFileSync(path.join(dataDir, 'keys', 'users.key.pem'), 'utf8');
    const as = async (sub: string, role: string) => ({ contextData: { auth_token: await accessToken({ sub, role, privateKey }) } });
    const client = await clients();
    const users = client.service<Remote>('user').$with(await as('guest', 'guest'));

    const admin = await users.authenticate('admin@platform.local', 'admin-password');
    expect(admin.role).toBe('admin');

    const email = `ann-${randomUUID().slice(0, 8)}@example.com`;
    const ann = await users.registerUser(email, 'Ann', 'correct horse');
    const asAnn = await as(ann.id, 'customer');
    const projects = client.service<Remote>('project').$with(asAnn);
    const payments = client.service<Remote>('payment').$with(asAnn);
    const staffView = client.service<Remote>('payment').$with(await as(admin.id, 'admin'));
    const project = await projects.createProject(ann.id, 'Community garden');
    const order = await projects.placeOrder(project.id, ann.id, 'Ten seed packs', 1500, 'EUR');
    await eventually('the transaction to open', () => staffView.getTransactionByOrder(order.id));
    const card = await payments.addPaymentMethod(ann.id, 'pm_card_visa');
    expect(await payments.payOrder(order.id, card.id, ann.id)).toMatchObject({ state: 'paid', amount: 1500 });

    const mailDir = path.join(dataDir, 'mail');
    const confirmation = await eventually('the confirmation .eml file', async () => {
      const files = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')) : [];
      const texts = files.map((f) => fs.readFileSync(path.join(mailDir, f), 'utf8'));
      return texts.find((t) => t.includes(email) && t.includes('Ten seed packs'));
    });
    expect(confirmation).toContain('Community garden');
    expect(confirmation).toMatch(/15\.00/);

    platform.child.kill('SIGTERM');
    expect(await platform.exited).toBe(0);
  });
});
