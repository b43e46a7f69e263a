// A newcomer without RabbitMQ or PostgreSQL running is told so at once, with the URL and the
// variable to set, rather than waiting out a hook's timeout for "Exceeded timeout".
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

function runSuite(project: string, file: string, env: Record<string, string>) {
  const started = Date.now();
  // Default reporter only: the workspace's summary reporter would record this failing run as the
  // project's own results.
  const run = spawnSync(path.join(root, 'node_modules/.bin/jest'), [file, '--reporters', 'default'], {
    cwd: path.join(root, project),
    encoding: 'utf8',
    env: { ...process.env, ...env, TEST_AMQP_URI: '', TEST_POSTGRES_UNREACHABLE: '', TEST_AMQP_UNREACHABLE: '' },
    timeout: 120_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}`, ms: Date.now() - started };
}

describe('tests whose infrastructure is not there', () => {
  it('fail at once naming RabbitMQ, its URL and TEST_AMQP_URI', () => {
    const run = runSuite('libs/shimeji', 'test/integration/fail-fast.test.ts', { TEST_AMQP_BASE_URI: 'amqp://guest:guest@127.0.0.1:1' });
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('RabbitMQ at amqp://127.0.0.1:1 does not answer: start it, or set TEST_AMQP_URI');
    expect(run.output).not.toContain('Exceeded timeout');
  }, 130_000);

  it('fail at once naming PostgreSQL, its URL and TEST_POSTGRES_URL', () => {
    const run = runSuite('libs/db', 'test/integration/migrate-command.test.ts', { TEST_POSTGRES_URL: 'postgres://postgres@127.0.0.1:1' });
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('PostgreSQL at postgres://127.0.0.1:1 does not answer: start it, or set TEST_POSTGRES_URL');
    expect(run.output).not.toContain('Exceeded timeout');
  }, 130_000);
});
