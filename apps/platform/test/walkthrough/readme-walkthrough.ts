// The README's curl walkthrough as a script a test can run: every ```sh block between the
// walkthrough markers, in order, and for each curl command the `# →` line printed under it; and
// the runner that plays it against a started platform (the test and bench/platform/start.ts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const START_MARKER = '<!-- walkthrough';
export const END_MARKER = '<!-- end of walkthrough -->';
const EXPECTATION = /^# → (.*)$/;

export interface CurlStep {
  /** The command line as printed. */
  command: string;
  /** What the README says it prints, as a pattern (`…` matches anything), if it says. */
  expected?: string;
}

export interface Walkthrough {
  script: string;
  curls: CurlStep[];
}

export function readWalkthrough(readmeFile: string): Walkthrough {
  const text = fs.readFileSync(readmeFile, 'utf8');
  const start = text.indexOf(START_MARKER);
  const end = text.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`${readmeFile} has no walkthrough between ${START_MARKER} and ${END_MARKER}`);
  const blocks = [...text.slice(start, end).matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  if (blocks.length === 0) throw new Error('the walkthrough has no sh blocks');
  const lines = blocks.join('').split('\n');
  const curls: CurlStep[] = [];
  lines.forEach((line, i) => {
    if (line.trimStart().startsWith('#') || !/\bcurl\s/.test(line)) return;
    if (line.trimEnd().endsWith('\\')) throw new Error(`continued lines are not supported: ${line}`);
    if ((line.match(/\bcurl\s/g) ?? []).length > 1) throw new Error(`one curl per line, please: ${line}`);
    const next = EXPECTATION.exec(lines[i + 1] ?? '');
    curls.push({ command: line, ...(next ? { expected: expectationPattern(next[1]!) } : {}) });
  });
  return { script: lines.join('\n'), curls };
}

/** `{"id":"…","n":1,…}` → a pattern matching the whole reply, `…` standing for anything. */
export function expectationPattern(printed: string): string {
  const parts = printed.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `^${parts.join('.*?')}$`;
}

/** The facades' addresses as the README prints them (`npm start`'s default ports). */
export const PRINTED_URLS = { web: 'http://localhost:8000', admin: 'http://localhost:8001', support: 'http://localhost:8002', mail: 'http://localhost:8025' };
export type FacadeUrls = Record<keyof typeof PRINTED_URLS, string>;

/** The facades' addresses in a started platform's banner (printed before `platform ready`). */
export function facadeUrls(banner: string): FacadeUrls {
  const url = (name: string, after: string) => {
    const found = new RegExp(`^\\s+${name}\\s+(http://\\S+) ${after}`, 'm').exec(banner);
    if (!found) throw new Error(`the banner names no ${name}:\n${banner}`);
    return found[1]!;
  };
  // The mail page stands in for Mailpit (same address, same API call) under docker compose.
  return { web: url('web', 'for'), admin: url('admin', 'for'), support: url('support', 'for'), mail: url('mail page', 'lists') };
}

export interface WalkthroughRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** How many curl commands ran. */
  curls: number;
}

/**
 * Runs the walkthrough in `dir` (a scratch folder: its files are written there) against these
 * facades: the printed addresses replaced, every curl checked by curl-wrapper.sh. Asynchronous,
 * so that the caller's event loop keeps reading the platform's output meanwhile.
 */
export async function runWalkthrough(walkthrough: Walkthrough, dir: string, urls: FacadeUrls, timeoutMs = 180_000): Promise<WalkthroughRun> {
  let script = walkthrough.script;
  for (const [facade, printed] of Object.entries(PRINTED_URLS)) {
    if (!script.includes(printed)) throw new Error(`the walkthrough no longer names ${printed}`);
    script = script.replaceAll(printed, urls[facade as keyof typeof PRINTED_URLS]);
  }
  fs.copyFileSync(path.join(__dirname, 'check-reply.js'), path.join(dir, 'check-reply.js'));
  fs.writeFileSync(path.join(dir, 'steps.json'), JSON.stringify(walkthrough.curls));
  fs.writeFileSync(path.join(dir, 'count'), '0');
  const wrapper = fs.readFileSync(path.join(__dirname, 'curl-wrapper.sh'), 'utf8');
  const { NODE_OPTIONS: _jestOnly, ...env } = process.env;
  const child = spawn('bash', ['-c', `${wrapper}\n${script}`], { cwd: dir, env: { ...env, WALK_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const status = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  clearTimeout(timer);
  return { status, stdout, stderr, curls: Number(fs.readFileSync(path.join(dir, 'count'), 'utf8')) };
}
