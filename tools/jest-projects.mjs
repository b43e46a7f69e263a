#!/usr/bin/env node
// jest over the workspace's projects at once, for the two scripts npm test does not cover:
//   npm run test:watch [-- <project>…]   re-runs the tests a change touches, as you edit
//   npm run coverage   [-- <project>…]   every suite once, with the coverage of each project's
//                                        src/ merged into coverage/ (lcov-report/index.html)
// A project is its folder (apps/platform) or its Nx name (platform); none means all of them.
// Test files run one at a time (--runInBand), as npm test runs the projects: the integration
// suites share one RabbitMQ vhost and one PostgreSQL. Other arguments go to jest as they are
// (`npm run coverage -- libs/schemas --coverageReporters=text`); options take the `--name=value`
// form, since a bare word names a project.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const [mode, ...rest] = process.argv.slice(2);
const named = rest.filter((arg) => !arg.startsWith('-'));
const isCoverageDirectory = (arg) => arg.startsWith('--coverageDirectory=');
const coverageDirectory = rest.find(isCoverageDirectory)?.slice('--coverageDirectory='.length) ?? path.join(root, 'coverage');
const jestArgs = rest.filter((arg) => arg.startsWith('-') && !isCoverageDirectory(arg));
const MODES = {
  watch: ['--watch'],
  coverage: ['--ci', '--coverage', '--collectCoverageFrom=src/**/*.ts', `--coverageDirectory=${coverageDirectory}`, '--coverageReporters=text-summary', '--coverageReporters=lcov'],
};
if (!MODES[mode]) {
  console.error(`usage: node tools/jest-projects.mjs ${Object.keys(MODES).join('|')} [project…] [jest options…]`);
  process.exit(2);
}

/** Every project folder with a jest.config.js, by folder and by Nx name. */
const projects = ['apps', 'libs', 'services', 'examples', 'e2e', 'tools']
  .flatMap((group) => (fs.existsSync(path.join(root, group)) ? fs.readdirSync(path.join(root, group)).map((dir) => `${group}/${dir}`) : []))
  .filter((dir) => fs.existsSync(path.join(root, dir, 'jest.config.js')))
  .map((dir) => {
    const projectJson = path.join(root, dir, 'project.json');
    const name = fs.existsSync(projectJson) ? JSON.parse(fs.readFileSync(projectJson, 'utf8')).name : undefined;
    return { dir, name };
  });

const chosen = named.map((wanted) => {
  const clean = wanted.replace(/\/+$/, '');
  const found = projects.find((p) => p.dir === clean || p.name === clean);
  if (!found) {
    console.error(`no project ${wanted}: one of ${projects.map((p) => p.dir).join(', ')} (or its Nx name)`);
    process.exit(2);
  }
  return found;
});
const dirs = (chosen.length > 0 ? chosen : projects).map((p) => path.join(root, p.dir));

// The Node flags embedded PGlite needs under jest, as the root .npmrc gives `npm run` (and Nx sets).
const nodeOptions = [process.env.NODE_OPTIONS ?? '', '--experimental-vm-modules', '--disable-warning=ExperimentalWarning']
  .filter((flag, i, all) => flag && all.indexOf(flag) === i)
  .join(' ');
const run = spawnSync(path.join(root, 'node_modules', '.bin', 'jest'), ['--projects', ...dirs, '--runInBand', ...MODES[mode], ...jestArgs], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: nodeOptions },
});
if (mode === 'coverage' && run.status !== null) console.log(`coverage report: ${path.join(coverageDirectory, 'lcov-report', 'index.html')}`);
process.exit(run.status ?? 1);
