// `npm start` as a user runs it: bad settings refused before anything starts; a SIGTERM to the
// npm process itself stops the whole platform, as a process manager or `kill` sends it.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@platform/shimeji/testing';
import { environmentWithoutSettings, type RunningPlatform, spawnPlatform } from './spawn-platform';

const root = path.resolve(__dirname, '..', '..', '..');

async function isFree(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('npm start with settings it cannot use', () => {
  let platform: RunningPlatform | undefined;

  afterEach(async () => {
    if (platform && platform.child.exitCode === null) {
      platform.child.kill('SIGKILL');
      await platform.exited;
    }
  });

  // It exits in about 0.7 s on a quiet machine, well inside the 2 s it is meant to take; the bound
  // here is wider because CI runs every project's suite at once on two cores.
  it('exits non-zero at once, naming every wrong variable, before starting anything', async () => {
    platform = spawnPlatform({ WEB_PORT: 'notaport', SMTP_PORT: 'abc' });
    const code = await Promise.race([platform.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000))]);
    expect(code).toBe(2);
    const output = platform.output();
    expect(output).toContain('WEB_PORT is "notaport": expected a port number');
    expect(output).toContain('SMTP_PORT is "abc": expected a port number');
    expect(output).not.toContain('embedded PGlite');
  });
});

describe('npm start stopped by a SIGTERM to the npm process', () => {
  let dataDir: string;
  let npm: ChildProcess | undefined;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-npm-start-'));
  });

  afterEach(() => {
    // npm leads a process group of its own: whatever the test left running goes with it.
    if (npm?.pid !== undefined) {
      try {
        process.kill(-npm.pid, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('frees every facade port within 5 s, leaving no process of its own behind', async () => {
    const ports = { WEB_PORT: await freePort(), ADMIN_PORT: await freePort(), SUPPORT_PORT: await freePort() };
    const env = {
      ...environmentWithoutSettings(),
      DATA_DIR: dataDir,
      STRIPE_EMULATOR_PORT: '0',
      PASSWORD_SCRYPT_COST: '1024',
      ...Object.fromEntries(Object.entries(ports).map(([key, port]) => [key, String(port)])),
    };
    npm = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => npm!.once('exit', resolve));

    const deadline = Date.now() + 90_000;
    while (!output.includes('platform ready')) {
      if (npm.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not get ready:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // A first start says it is preparing the databases before the long wait, not after.
    expect(output.indexOf('preparing embedded databases')).toBeGreaterThan(-1);
    expect(output.indexOf('preparing embedded databases')).toBeLessThan(output.indexOf('embedded PGlite in'));
    for (const port of Object.values(ports)) expect(await isFree(port)).toBe(false);

    process.kill(npm.pid!, 'SIGTERM');
    const stopBy = Date.now() + 5_000;
    const stillHeld = async () => (await Promise.all(Object.values(ports).map(isFree))).some((free) => !free);
    while ((await stillHeld()) && Date.now() < stopBy) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await stillHeld()).toBe(false);
    // The facades let go of their ports first; the services stop after them.
    await exited;
    expect(output).toContain('platform stopped');
  });
});
