// The lint target is only worth having if it really refuses a forbidden import. These run the
// workspace's ESLint on source text given as a file inside a project (`--stdin-filename`).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

function boundaryErrors(fileInProject: string, code: string): string[] {
  const eslint = path.join(root, 'node_modules/.bin/eslint');
  const run = spawnSync(eslint, ['--format', 'json', '--stdin', '--stdin-filename', path.join(root, fileInProject)], {
    cwd: root,
    input: code,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (/No cached ProjectGraph/.test(run.stderr)) throw new Error('the boundary rule was skipped: no project graph');
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string; message: string }[] }[];
  return result!.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  // Outside Nx, the rule reads a cached project graph and silently skips itself without one.
  beforeAll(() => {
    const built = spawnSync(path.join(root, 'node_modules/.bin/nx'), ['show', 'projects'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    if (built.status !== 0) throw new Error(`could not build the Nx project graph: ${built.stderr}`);
  }, 120_000);

  it('refuse a library importing an example or an app', () => {
    const errors = boundaryErrors('libs/shimeji/src/forbidden.ts', "import '@platform/example-shop';\n");
    expect(errors).toHaveLength(1);
  });

  it('allow an example to import the framework library', () => {
    const errors = boundaryErrors('examples/shop/src/allowed.ts', "import { rpc } from '@platform/shimeji';\nexport { rpc };\n");
    expect(errors).toEqual([]);
  });

  it('refuse a service importing another service', () => {
    const errors = boundaryErrors('services/payment/src/forbidden.ts', "import '@platform/user-service';\n");
    expect(errors).toHaveLength(1);
  });

  it('refuse a service importing the HTTP lib', () => {
    const errors = boundaryErrors('services/payment/src/forbidden.ts', "import '@platform/http';\n");
    expect(errors).toHaveLength(1);
  });

  it('refuse an app importing a service', () => {
    const errors = boundaryErrors('apps/web/src/forbidden.ts', "import '@platform/payment-service';\n");
    expect(errors).toHaveLength(1);
  });

  it("refuse an app reaching into a service's internals by path", () => {
    const errors = boundaryErrors('apps/web/src/forbidden.ts', "import '../../../services/payment/src/service';\n");
    expect(errors).toHaveLength(1);
  });

  it('refuse a facade importing another facade', () => {
    const errors = boundaryErrors('apps/web/src/forbidden.ts', "import '@platform/admin';\n");
    expect(errors).toHaveLength(1);
  });

  it('refuse a framework lib importing the HTTP lib', () => {
    const errors = boundaryErrors('libs/db/src/forbidden.ts', "import '@platform/http';\n");
    expect(errors).toHaveLength(1);
  });

  it("refuse a service's source importing the Stripe emulator", () => {
    const errors = boundaryErrors('services/payment/src/forbidden.ts', "import '@platform/stripe-emulator';\n");
    expect(errors).toHaveLength(1);
  });

  it("allow a service's tests to use the Stripe emulator", () => {
    const code = "import { startStripeEmulator } from '@platform/stripe-emulator';\nexport { startStripeEmulator };\n";
    expect(boundaryErrors('services/payment/test/allowed.ts', code)).toEqual([]);
  });

  it('allow an app to import the HTTP lib', () => {
    const code = "import { buildFacade } from '@platform/http';\nexport { buildFacade };\n";
    expect(boundaryErrors('apps/web/src/allowed.ts', code)).toEqual([]);
  });

  it('allow the platform to host services and facades', () => {
    const code = "import '@platform/payment-service';\nimport '@platform/web';\nimport '@platform/stripe-emulator';\n";
    expect(boundaryErrors('apps/platform/src/allowed.ts', code)).toEqual([]);
  });
});
