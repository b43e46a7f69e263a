// The production image, read from the Dockerfile and .dockerignore (no image can be built here:
// no base image can be pulled): pinned base images and npm, a runtime stage that installs nothing
// and holds the production dependencies only (npm ci --omit=dev of apps/platform, which depends
// on every program docker-compose.yml runs), run as a user other than root; a build context
// without .git, node_modules, tests, bench or e2e, but with everything the programs load.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

const root = path.resolve(__dirname, '..', '..', '..');

interface Stage {
  from: string;
  name?: string;
  instructions: { op: string; args: string }[];
}

/** The Dockerfile's stages, each with its instructions (continued lines joined, comments left out). */
function stages(text: string): Stage[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const result: Stage[] = [];
  for (const line of lines) {
    const [, op, args] = /^(\S+)\s+(.*)$/.exec(line)!;
    if (op!.toUpperCase() === 'FROM') {
      const [from, , name] = args!.split(/\s+/);
      result.push({ from: from!, name, instructions: [] });
    } else result.at(-1)!.instructions.push({ op: op!.toUpperCase(), args: args! });
  }
  return result;
}

const dockerfile = stages(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
const runtime = dockerfile.at(-1)!;
const compose = YAML.parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, { image: string; command: string[] }> };

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (glob.startsWith('**/', i)) {
      out += '(.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      out += '.*';
      i += 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}

/** Docker's .dockerignore: a pattern matches a path or any of its parent folders; `**` any depth. */
function ignored(file: string, patterns: string[]): boolean {
  let result = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = negate ? raw.slice(1) : raw;
    const regex = new RegExp(`^${globToRegex(pattern)}(/.*)?$`);
    if (regex.test(file)) result = !negate;
  }
  return result;
}
const patterns = fs
  .readFileSync(path.join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const context = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean)
  .filter((file) => fs.existsSync(path.join(root, file)) && !ignored(file, patterns));

/** The workspaces a package depends on in production, itself included, by folder. */
function productionClosure(folder: string): Set<string> {
  const byName = new Map<string, string>();
  for (const file of execFileSync('git', ['ls-files', '*/package.json'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean)) {
    byName.set((JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as { name: string }).name, path.dirname(file));
  }
  const seen = new Set<string>();
  const visit = (dir: string) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const manifest = JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dependency of Object.keys(manifest.dependencies ?? {})) if (byName.has(dependency)) visit(byName.get(dependency)!);
  };
  visit(folder);
  return seen;
}

describe('the Dockerfile', () => {
  it('pins every base image to a full Node version, and npm to a full version', () => {
    expect(dockerfile.length).toBeGreaterThanOrEqual(2);
    for (const stage of dockerfile) expect(stage.from).toMatch(/^node:\d+\.\d+\.\d+-[a-z]+(-slim)?(@sha256:[0-9a-f]{64})?$/);
    const npmInstalls = dockerfile.flatMap((s) => s.instructions).filter((i) => i.op === 'RUN' && /npm (install|i) -g npm@/.test(i.args));
    expect(npmInstalls.length).toBeGreaterThan(0);
    for (const i of npmInstalls) expect(i.args).toMatch(/npm@\d+\.\d+\.\d+(\s|$)/);
  });

  it('installs the production dependencies of apps/platform only, in a stage of their own', () => {
    const installs = dockerfile.flatMap((s) => s.instructions.filter((i) => i.op === 'RUN' && /\bnpm (ci|install|i)\b(?! -g)/.test(i.args)).map((i) => ({ stage: s.name, args: i.args })));
    expect(installs).toHaveLength(1);
    expect(installs[0]!.stage).not.toBe(runtime.name);
    expect(installs[0]!.args).toMatch(/npm ci --omit=dev --workspace @platform\/platform\b/);
    expect(installs[0]!.args).not.toMatch(/--include=dev|--production=false|NODE_ENV=development/);
  });

  it('has a runtime stage that runs nothing at build time, holds the deps stage and the sources, and runs as node', () => {
    expect(runtime.name).toBe('runtime');
    expect(runtime.instructions.filter((i) => i.op === 'RUN')).toEqual([]);
    const copies = runtime.instructions.filter((i) => i.op === 'COPY').map((i) => i.args);
    const depsStage = dockerfile.find((s) => s.instructions.some((i) => /npm ci --omit=dev/.test(i.args)))!;
    expect(copies).toEqual([`--from=${depsStage.name} /platform ./`, '. .']);
    const users = runtime.instructions.filter((i) => i.op === 'USER').map((i) => i.args);
    expect(users.at(-1)).toBe('node');
    expect(runtime.instructions.find((i) => i.op === 'ENV')!.args).toMatch(/NODE_ENV=production/);
  });

  it('installs every program docker-compose.yml runs, from production dependencies', () => {
    // apps/platform depends on every service, facade and the Stripe emulator that compose runs…
    const closure = productionClosure('apps/platform');
    const image = compose.services.stripe!.image;
    for (const [name, service] of Object.entries(compose.services).filter(([, s]) => s.image === image)) {
      const module = service.command.find((arg) => arg.endsWith('.ts'));
      if (module) expect([name, [...closure].some((dir) => module.startsWith(`${dir}/`))]).toEqual([name, true]);
    }
    // …and the commands themselves (tsx, shimeji, stripe-emulator) are bins of production dependencies.
    const bins = new Set<string>();
    for (const dir of closure) {
      const manifest = JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as { bin?: Record<string, string>; dependencies?: Record<string, string> };
      for (const bin of Object.keys(manifest.bin ?? {})) bins.add(bin);
      if (manifest.dependencies?.tsx) bins.add('tsx');
    }
    for (const service of Object.values(compose.services).filter((s) => s.image === image)) expect(bins).toContain(service.command[0]);
  });
});

describe('.dockerignore', () => {
  it('keeps .git, node_modules, tests, bench, e2e and local data out of the build context', () => {
    for (const file of ['.git/HEAD', 'node_modules/tsx/package.json', 'libs/shimeji/node_modules/x', 'data/mail/a.eml', 'tmp/x', 'coverage/lcov.info', '.env']) {
      expect([file, ignored(file, patterns)]).toEqual([file, true]);
    }
    expect(context.filter((file) => /(^|\/)test\/|\.test\.ts$|^bench\/|^e2e\/|^\.git\//.test(file))).toEqual([]);
  });

  it('keeps what the programs load: sources, bins, manifests, the lock and the config', () => {
    const closure = productionClosure('apps/platform');
    for (const file of ['package.json', 'package-lock.json', '.npmrc', 'apps/platform/config.yaml', 'libs/shimeji/bin/shimeji.cjs', 'libs/stripe-emulator/bin/stripe-emulator.cjs', 'tsconfig.base.json']) {
      expect(context).toContain(file);
    }
    for (const dir of closure) {
      expect(context).toContain(`${dir}/package.json`);
      expect([dir, context.some((file) => file.startsWith(`${dir}/src/`))]).toEqual([dir, true]);
    }
  });
});
