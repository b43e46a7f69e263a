// An operator's access token: minted by `shimeji token` only with the facades' private key, and
// used by `shimeji shell --token` against a service that checks every call.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readPublicKeys, TokenVerifier } from '../../src';
import { testAccessKeys, testBrokerUri } from '../../src/testing';
import { type CliProcess, startCli } from './cli-process';

describe('shimeji token and shell --token', () => {
  const uri = testBrokerUri();
  const dir = mkdtempSync(path.join(tmpdir(), 'shimeji-token-'));
  const keys = testAccessKeys();
  const file = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text, { mode: 0o600 });
    return path.join(dir, name);
  };
  const usersKey = file('users.key.pem', keys.users.privateKey);
  const usersPub = file('users.pub.pem', keys.users.publicKey);
  const servicesKey = file('services.key.pem', keys.services.privateKey);
  const serviceConfig = file(
    'service.yaml',
    `AMQP_URI: ${uri}\nACCESS_USER_PUBLIC_KEYS: ${usersPub}\nACCESS_SERVICE_SIGNING_KEY: ${servicesKey}\nlogLevel: info\n`,
  );
  const running: CliProcess[] = [];
  const start = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const cli = startCli(args, { ACCESS_USER_SIGNING_KEY: '', ...env });
    running.push(cli);
    return cli;
  };

  afterEach(async () => {
    for (const cli of running.splice(0)) {
      if (cli.child.exitCode === null) {
        cli.child.kill('SIGKILL');
        await cli.exited;
      }
    }
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to mint a token without the facades’ private key, saying where it lives', async () => {
    const cli = start(['token', '--role', 'admin', '--sub', 'u-1']);
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toMatch(/set ACCESS_USER_SIGNING_KEY.*--key <file>.*services cannot mint tokens/s);
  });

  it('refuses to mint a service identity or a token living over an hour', async () => {
    const service = start(['token', '--role', 'service', '--sub', 'service:payment', '--key', usersKey]);
    expect(await service.exited).toBe(2);
    expect(service.output()).toContain('cannot mint a service identity');
    const long = start(['token', '--role', 'admin', '--sub', 'u-1', '--ttl', '2h', '--key', usersKey]);
    expect(await long.exited).toBe(2);
    expect(long.output()).toContain('--ttl must be a duration up to 1h');
  });

  it('mints a token the services verify: the subject, role and audience asked for, for the time asked', async () => {
    const cli = start(['token', '--role', 'admin', '--sub', 'u-1', '--ttl', '2m', '--key', usersKey]);
    expect(await cli.exited).toBe(0);
    const token = cli.output().trim().split('\n').pop()!;
    const verifier = new TokenVerifier({ users: await readPublicKeys('test', keys.users.publicKey), services: [], audiences: ['admin'] });
    const identity = await verifier.verify(token);
    expect(identity).toMatchObject({ sub: 'u-1', role: 'admin', kind: 'user', audience: 'admin' });
    expect(identity.expiresAt - Date.now()).toBeGreaterThan(60_000);
    expect(identity.expiresAt - Date.now()).toBeLessThanOrEqual(125_000);
  });

  it('opens a shell whose calls carry the token, where calls without one are refused', async () => {
    const service = start(['run', 'test/cli/fixtures/guarded-service.ts', '--config', serviceConfig]);
    await service.waitForOutput(/service cli_guarded started/, 30_000);
    const minted = start(['token', '--role', 'admin', '--sub', 'u-ops', '--key', usersKey]);
    expect(await minted.exited).toBe(0);
    const token = minted.output().trim().split('\n').pop()!;

    const ask = async (args: string[]) => {
      const shell = start(['shell', '--broker', uri, ...args]);
      await shell.waitForCount('shimeji> ', 1);
      shell.child.stdin.write("await n.rpc.cli_guarded.whoAmI().catch((e) => e.constructor.name + ': ' + e.message)\n");
      await shell.waitForCount('shimeji> ', 2, 20_000);
      shell.child.stdin.write('.exit\n');
      expect(await shell.exited).toBe(0);
      return shell.output();
    };
    expect(await ask(['--token', token])).toContain("'admin u-ops'");
    const refused = await ask([]);
    expect(refused).toContain('no --token');
    expect(refused).toMatch(/NotAuthorized: the call carries no access token/);
  }, 60_000);
});
