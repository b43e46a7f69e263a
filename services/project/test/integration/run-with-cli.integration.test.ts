// The project service as it is deployed: `shimeji run` with a config file, on the real broker and database.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseUrl } from '@platform/db/testing';
import { NotAuthorized } from '@platform/shimeji';
import { accessConfig, as, rpcClientFactory, testBrokerUri } from '@platform/shimeji/testing';

const ROOT = path.resolve(__dirname, '../../../..');

describe('the project service run with the shimeji command', () => {
  const clients = rpcClientFactory({ uri: testBrokerUri(), timeoutMs: 30_000 });
  // The config file names the access keys' files, as a deployment's would.
  const keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'project-keys-'));
  afterAll(() => fs.rmSync(keysDir, { recursive: true, force: true }));

  it('serves projects to a customer with a token, none without, and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'libs/shimeji/bin/shimeji.cjs'), 'run', 'services/project/src/service.ts', '--config', path.join(__dirname, 'fixtures/project.yaml')],
      { cwd: ROOT, env: { ...process.env, ...accessConfig({ writeTo: keysDir }), PROJECT_DATABASE_URL: testDatabaseUrl('project_cli'), NODE_OPTIONS: '' } },
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
      await expect(client.call('project', 'createProject', [owner, 'Via the CLI'])).rejects.toBeInstanceOf(NotAuthorized);
      const asOwner = { contextData: await as({ sub: owner, role: 'customer' }) };
      await expect(client.call('project', 'createProject', [owner, 'Via the CLI'], asOwner)).resolves.toMatchObject({ name: 'Via the CLI', owner_id: owner });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
