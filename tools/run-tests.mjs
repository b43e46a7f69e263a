#!/usr/bin/env node
// The README's test command: lint, type-check and every project's jest suite through Nx,
// then one closing line with the totals of all projects.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const resultsDir = path.join(root, 'tmp', 'test-results');
fs.rmSync(resultsDir, { recursive: true, force: true });

const env = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' };
const nx = (args) =>
  spawnSync('npx', ['nx', 'run-many', ...args, '--outputStyle=stream'], { cwd: root, env, stdio: 'inherit' }).status;

const extra = process.argv.slice(2);
let status = nx(['-t', 'lint', 'typecheck', '--parallel=2', ...extra]);
// Tests run one project at a time: the integration suites share one broker and database.
const testStatus = nx(['-t', 'test', '--parallel=1', ...extra]);
status = status || testStatus;

let passed = 0, failed = 0, skipped = 0;
const files = fs.existsSync(resultsDir) ? fs.readdirSync(resultsDir) : [];
for (const file of files) {
  const r = JSON.parse(fs.readFileSync(path.join(resultsDir, file), 'utf8'));
  passed += r.passed; failed += r.failed; skipped += r.skipped;
  console.log(`  ${r.project}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
}
if (files.length === 0) {
  console.log('no test results were written');
  status = status || 1;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status ? 1 : failed ? 1 : 0);
