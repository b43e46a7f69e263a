// The user service as it is deployed: `shimeji run` with a config file, on the real broker and database.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseUrl } from '@platform/db/testing';
import { NotAuthorized } from '@platform/shimeji';
import { accessConfig, as, rpcClientFactory, testBrokerUri } from '@platform/shimeji/testing';

const ROOT = path.resolve(__dirname, '../../../..');

describe('the user service run with the shimeji command', () => {
  const clients = rpcClientFactory({ uri: testBrokerUri(), timeoutMs: 30_000 });
  // The config file names the access keys' files, as a deployment's would.
  const keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'user-keys-'));
  afterAll(() => fs.rmSync(keysDir, { recursive: true, force: true }));

  it('serves registrations to a guest with a token, none without, and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'libs/shimeji/bin/shimeji.cjs'), 'run', 'services/user/src/service.ts', '--config', path.join(__dirname, 'fixtures/user.yaml')],
      { cwd: ROOT, env: { ...process.env, ...accessConfig({ writeTo: keysDir }), USER_DATABASE_URL: testDatabaseUrl('user_cli'), NODE_OPTIONS: '' } },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      for (let i = 0; i < 300 && !output.includes('service user started'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(output).toContain('rpc user.registerUser (queue rpc-user)');
      expect(output).toContain('database of user ready');
      const client = await clients();
      const signUp = ['cli@example.com', 'Cli', 'correct horse'];
      await expect(client.call('user', 'registerUser', signUp)).rejects.toBeInstanceOf(NotAuthorized);
      const asGuest = { contextData: await as({ sub: 'guest', role: 'guest' }) };
      await expect(client.call('user', 'registerUser', signUp, asGuest)).resolves.toMatchObject({ email: 'cli@example.com' });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
