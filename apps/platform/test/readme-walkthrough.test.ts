// The README's curl walkthrough, run as printed against the started platform (`npm start` in a
// child process), on the embedded defaults and on RabbitMQ + PostgreSQL. Only the facades'
// ports differ: the platform listens on free ones here. Every `# →` line is checked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseUrl } from '@platform/db/testing';
import { testBrokerUri } from '@platform/shimeji/testing';
import { type RunningPlatform, spawnPlatform } from './spawn-platform';
import { facadeUrls, readWalkthrough, runWalkthrough } from './walkthrough/readme-walkthrough';

const root = path.resolve(__dirname, '..', '..', '..');
const walkthrough = readWalkthrough(path.join(root, 'README.md'));

describe('the README walkthrough', () => {
  let dir: string;
  let platform: RunningPlatform | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'walkthrough-'));
  });

  afterEach(async () => {
    if (platform && platform.child.exitCode === null) {
      platform.child.kill('SIGKILL');
      await platform.exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('checks each printed reply of its curl commands', () => {
    expect(walkthrough.curls.length).toBeGreaterThan(10);
    expect(walkthrough.curls.filter((step) => step.expected).length).toBeGreaterThan(8);
    for (const step of walkthrough.curls.filter((s) => s.expected)) expect(() => new RegExp(step.expected!, 's')).not.toThrow();
  });

  const cases: [string, () => Record<string, string>][] = [
    ['the embedded defaults', () => ({})],
    [
      'RabbitMQ and PostgreSQL',
      () => ({
        AMQP_URI: testBrokerUri(),
        USER_DATABASE_URL: testDatabaseUrl('walk_user'),
        PROJECT_DATABASE_URL: testDatabaseUrl('walk_project'),
        PAYMENT_DATABASE_URL: testDatabaseUrl('walk_payment'),
        MESSAGING_DATABASE_URL: testDatabaseUrl('walk_messaging'),
      }),
    ],
  ];

  it.each(cases)('works as printed on %s', async (_name, infrastructure) => {
    platform = spawnPlatform({ DATA_DIR: path.join(dir, 'data'), STRIPE_EMULATOR_PORT: '0', PASSWORD_SCRYPT_COST: '1024', ...infrastructure() });
    const banner = await platform.waitFor(/platform ready/);

    const run = await runWalkthrough(walkthrough, dir, facadeUrls(banner));

    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.curls).toBe(walkthrough.curls.length);
    // The emails the platform wrote, which the mail page listed: the confirmation is among them
    const emails = fs.readdirSync(path.join(dir, 'data', 'mail')).map((file) => fs.readFileSync(path.join(dir, 'data', 'mail', file), 'utf8'));
    expect(emails.some((email) => email.includes('ann@example.com') && email.includes('Seeds') && email.includes('15.00'))).toBe(true);
    expect(run.stdout).toContain('"Subject":"Payment received: €15.00 for Seeds (Garden)"');
  });
});
