// The Nx project graph is what `nx affected` and the boundaries read: it must show what really
// depends on what, the platform's facades included (it imports their definitions statically).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

interface Graph {
  nodes: Record<string, { type: string }>;
  dependencies: Record<string, { target: string }[]>;
}

function projectGraph(): Graph {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nx-graph-')), 'graph.json');
  const run = spawnSync(path.join(root, 'node_modules/.bin/nx'), ['graph', `--file=${file}`], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (run.status !== 0) throw new Error(`nx graph failed: ${run.stderr}`);
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { graph: Graph }).graph;
}

describe('the project graph', () => {
  let graph: Graph;
  beforeAll(() => {
    graph = projectGraph();
  }, 120_000);

  const targetsOf = (project: string) => graph.dependencies[project]!.map((d) => d.target);

  it('shows the platform using the three facades and the four services', () => {
    expect(targetsOf('platform')).toEqual(expect.arrayContaining(['web', 'admin', 'support', 'user', 'project', 'payment', 'messaging']));
  });

  it('has the facades and the platform as applications', () => {
    expect(['web', 'admin', 'support', 'platform'].map((p) => graph.nodes[p]!.type)).toEqual(['app', 'app', 'app', 'app']);
  });

  it('shows no facade using a service', () => {
    const services = ['user', 'project', 'payment', 'messaging'];
    for (const facade of ['web', 'admin', 'support']) expect(targetsOf(facade).filter((t) => services.includes(t))).toEqual([]);
  });
});
