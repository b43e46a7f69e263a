// The README's curl walkthrough, run as printed against the started platform (`npm start` in a
// child process), on the embedded defaults and on RabbitMQ + PostgreSQL. Only the facades'
// ports differ: the platform listens on free ones here. Every `# →` line is checked.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseUrl } from '@platform/db/testing';
import { testBrokerUri } from '@platform/shimeji/testing';
import { type RunningPlatform, spawnPlatform } from './spawn-platform';
import { readWalkthrough } from './walkthrough/readme-walkthrough';

const root = path.resolve(__dirname, '..', '..', '..');
const walkthrough = readWalkthrough(path.join(root, 'README.md'));
const PRINTED_URLS = { web: 'http://localhost:8000', admin: 'http://localhost:8001', support: 'http://localhost:8002', mail: 'http://localhost:8025' };

/** Runs the walkthrough in `dir` (whose `data` folder is the platform's DATA_DIR) against these facades. */
function runWalkthrough(dir: string, urls: Record<keyof typeof PRINTED_URLS, string>) {
  let script = walkthrough.script;
  for (const [facade, printed] of Object.entries(PRINTED_URLS)) {
    expect(script).toContain(printed);
    script = script.replaceAll(printed, urls[facade as keyof typeof PRINTED_URLS]);
  }
  fs.copyFileSync(path.join(__dirname, 'walkthrough', 'check-reply.js'), path.join(dir, 'check-reply.js'));
  fs.writeFileSync(path.join(dir, 'steps.json'), JSON.stringify(walkthrough.curls));
  fs.writeFileSync(path.join(dir, 'count'), '0');
  const wrapper = fs.readFileSync(path.join(__dirname, 'walkthrough', 'curl-wrapper.sh'), 'utf8');
  const { NODE_OPTIONS: _jestOnly, ...env } = process.env;
  const run = spawnSync('bash', ['-c', `${wrapper}\n${script}`], { cwd: dir, env: { ...env, WALK_DIR: dir }, encoding: 'utf8', timeout: 180_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, curls: Number(fs.readFileSync(path.join(dir, 'count'), 'utf8')) };
}

function facadeUrls(banner: string): Record<keyof typeof PRINTED_URLS, string> {
  const url = (name: string, after: string) => {
    const found = new RegExp(`^\\s+${name}\\s+(http://\\S+) ${after}`, 'm').exec(banner);
    if (!found) throw new Error(`the banner names no ${name}:\n${banner}`);
    return found[1]!;
  };
  // The mail page stands in for Mailpit (same address, same API call) under docker compose.
  return { web: url('web', 'for'), admin: url('admin', 'for'), support: url('support', 'for'), mail: url('mail page', 'lists') };
}

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

    const run = runWalkthrough(dir, facadeUrls(banner));

    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.curls).toBe(walkthrough.curls.length);
    // The emails the platform wrote, which the mail page listed: the confirmation is among them
    const emails = fs.readdirSync(path.join(dir, 'data', 'mail')).map((file) => fs.readFileSync(path.join(dir, 'data', 'mail', file), 'utf8'));
    expect(emails.some((email) => email.includes('ann@example.com') && email.includes('Seeds') && email.includes('15.00'))).toBe(true);
    expect(run.stdout).toContain('"Subject":"Payment received: €15.00 for Seeds (Garden)"');
  });
});
