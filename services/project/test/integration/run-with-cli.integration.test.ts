// The project service as it is deployed: `shimeji run` with a config file, on the real broker and database.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { testDatabaseUrl } from '@platform/db/testing';
import { rpcClientFactory, testBrokerUri } from '@platform/shimeji/testing';

const ROOT = path.resolve(__dirname, '../../../..');

describe('the project service run with the shimeji command', () => {
  const clients = rpcClientFactory({ uri: testBrokerUri(), timeoutMs: 30_000 });

  it('serves projects and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'libs/shimeji/bin/shimeji.cjs'), 'run', 'services/project/src/service.ts', '--config', path.join(__dirname, 'fixtures/project.yaml')],
      { cwd: ROOT, env: { ...process.env, PROJECT_DATABASE_URL: testDatabaseUrl('project_cli'), NODE_OPTIONS: '' } },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      for (let i = 0; i < 300 && !output.includes('service project started'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(output).toContain('rpc project.createProject (queue rpc-project)');
      expect(output).toContain('event payment.payment_taken');
      const client = await clients();
      const owner = randomUUID();
      await expect(client.call('project', 'createProject', [owner, 'Via the CLI'])).resolves.toMatchObject({ name: 'Via the CLI', owner_id: owner });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
