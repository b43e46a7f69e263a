// npm run coverage and npm run test:watch: one project by its folder or its Nx name, a clear
// refusal for one that does not exist.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

function jestProjects(...args: string[]) {
  // Default reporter only: the workspace's summary reporter would record the nested run as the
  // project's own results.
  const run = spawnSync(process.execPath, [path.join(root, 'tools/jest-projects.mjs'), ...args, '--reporters=default'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('npm run coverage', () => {
  it("runs one project's suite and reports the coverage of its src/", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverage-'));
    try {
      const run = jestProjects('coverage', 'schemas', `--coverageDirectory=${dir}`);
      expect(run.status).toBe(0);
      expect(run.output).toContain('Coverage summary');
      expect(run.output).toContain(`coverage report: ${path.join(dir, 'lcov-report', 'index.html')}`);
      const lcov = fs.readFileSync(path.join(dir, 'lcov.info'), 'utf8');
      expect(lcov).toContain('SF:libs/schemas/src/money.ts');
      expect(lcov).not.toMatch(/^SF:.*\/test\//m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 130_000);

  it('refuses a project that does not exist, listing those that do', () => {
    const run = jestProjects('coverage', 'libs/nope');
    expect(run.status).toBe(2);
    expect(run.output).toContain('no project libs/nope: one of apps/admin');
    expect(run.output).toContain('libs/schemas');
  });
});

describe('npm run test:watch', () => {
  it('refuses a project that does not exist before watching anything', () => {
    const run = jestProjects('watch', 'nope');
    expect(run.status).toBe(2);
    expect(run.output).toContain('no project nope');
  });
});
