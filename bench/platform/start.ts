// `npm run bench:start`: `npm start` on the embedded defaults (in-memory broker, four PGlite
// databases, the Stripe emulator, the three facades), timed from spawning the process to its
// `platform ready` line, on a fresh DATA_DIR and again on the same one after a clean stop; and
// its memory (VmRSS of the node process itself) at ready and after the README walkthrough.
// Targets (issue 14): first start ≤ 8 s, later start ≤ 3 s, RSS after the walkthrough ≤ 600 MB.
//
// Each round: a new temp folder → first start → the README walkthrough (curl, checked as the
// platform test checks it) → SIGTERM, wait for a clean exit → later start on the same DATA_DIR →
// SIGTERM. BENCH_ROUNDS rounds (default 3); medians and min–max across them.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { environmentWithoutSettings } from '../../apps/platform/test/spawn-platform';
import { facadeUrls, readWalkthrough, runWalkthrough } from '../../apps/platform/test/walkthrough/readme-walkthrough';
import { median } from '../rpc/measure';

const ROOT = path.resolve(__dirname, '..', '..');
const OUTPUT = path.join(__dirname, 'last-run.md');
const MAIN = 'apps/platform/src/main.ts';
const TARGETS = { firstStartS: 8, laterStartS: 3, rssAfterWalkthroughMb: 600 };
const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 60_000;
const SIGNAL_HANDLER_GRACE_MS = 500;

function log(message: string): void {
  // Progress goes to stderr so stdout carries only the tables.
  process.stderr.write(`${message}\n`);
}

function rounds(): number {
  const text = process.env.BENCH_ROUNDS ?? '3';
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_ROUNDS is ${JSON.stringify(text)}: expected a whole number of at least 1`);
  return n;
}

/** VmRSS and VmHWM (peak) of a process, in MB (2^20 bytes), from /proc/<pid>/status. */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => {
    const found = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!found) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(found[1]) / 1024;
  };
  return { rssMb: kb('VmRSS'), peakMb: kb('VmHWM') };
}

interface Started {
  child: ChildProcess;
  pid: number;
  /** Seconds from spawn to the `platform ready` line. */
  readyS: number;
  /**
   * Seconds from spawn to `preparing embedded databases…`, printed on a first start once the code
   * of the services and facades is loaded and the Stripe emulator listens, before the databases
   * are created and migrated; NaN on a later start, which does not print it.
   */
  codeLoadedS: number;
  banner: string;
  output: () => string;
}

/** Every platform process still running: killed (its whole group) if the benchmark fails. */
const live = new Set<ChildProcess>();
/** Every temp folder not yet removed: removed whatever happens. */
const scratch = new Set<string>();

function cleanUp(): void {
  for (const child of live) killGroup(child);
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
  scratch.clear();
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * `node --import tsx apps/platform/src/main.ts` with cwd the repository root, as `npm start`
 * runs it (npm's `exec` leaves node itself as the process), in a process group of its own.
 */
function startPlatform(dataDir: string): Promise<Started> {
  const env = {
    ...environmentWithoutSettings(),
    DATA_DIR: dataDir,
    // Port 0: each listener binds a free port itself (no race with another run on this machine);
    // the banner says which. The walkthrough reads the mail page, so it stays on.
    WEB_PORT: '0',
    ADMIN_PORT: '0',
    SUPPORT_PORT: '0',
    MAIL_PAGE_PORT: '0',
    STRIPE_EMULATOR_PORT: '0',
  };
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let text = '';
  let codeLoadedAt: number | undefined;
  return new Promise<Started>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      killGroup(child);
      reject(new Error(`${why}:\n${text}`));
    };
    const timer = setTimeout(() => fail(`no "platform ready" within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      const now = performance.now();
      text += chunk.toString();
      if (codeLoadedAt === undefined && /^preparing embedded databases/m.test(text)) codeLoadedAt = now;
      if (/^platform ready/m.test(text)) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (more: Buffer) => (text += more.toString()));
        resolve({ child, pid: child.pid!, readyS: (now - t0) / 1000, codeLoadedS: codeLoadedAt === undefined ? Number.NaN : (codeLoadedAt - t0) / 1000, banner: text, output: () => text });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('error', (error) => fail(`could not spawn node: ${error.message}`));
    child.once('exit', (code, signal) => fail(`the platform exited (${signal ?? code}) before "platform ready"`));
  });
}

/** SIGTERM, as Ctrl-C would stop it; seconds until it has exited, which must be cleanly (0). */
async function stopPlatform(started: Started): Promise<number> {
  const { child } = started;
  const t0 = performance.now();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the platform did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM:\n${started.output()}`)), STOP_TIMEOUT_MS);
  });
  try {
    const { code, signal } = await Promise.race([exited, timeout]);
    if (code !== 0) throw new Error(`the platform exited with ${signal ?? code} after SIGTERM, not 0:\n${started.output()}`);
  } finally {
    clearTimeout(timer);
  }
  return (performance.now() - t0) / 1000;
}

interface Round {
  firstStartS: number;
  codeLoadedS: number;
  rssFirstReadyMb: number;
  walkthroughS: number;
  rssAfterWalkthroughMb: number;
  peakFirstMb: number;
  stopS: number;
  laterStartS: number;
  rssLaterReadyMb: number;
}

async function runRound(round: number, total: number, walkthrough: ReturnType<typeof readWalkthrough>): Promise<Round> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-start-'));
  scratch.add(dir);
  const dataDir = path.join(dir, 'data');
  const tag = `round ${round}/${total}`;
  try {
    log(`${tag}: first start on a fresh DATA_DIR (${dataDir})…`);
    const first = await startPlatform(dataDir);
    const rssFirstReady = memoryOf(first.pid).rssMb;
    log(`${tag}: ready in ${first.readyS.toFixed(2)} s (code loaded at ${first.codeLoadedS.toFixed(2)} s), RSS ${rssFirstReady.toFixed(0)} MB; the README walkthrough…`);
    const walkDir = path.join(dir, 'walk');
    fs.mkdirSync(walkDir);
    const w0 = performance.now();
    const run = await runWalkthrough(walkthrough, walkDir, facadeUrls(first.banner));
    const walkthroughS = (performance.now() - w0) / 1000;
    if (run.status !== 0 || run.stderr !== '' || run.curls !== walkthrough.curls.length) {
      throw new Error(`the walkthrough failed (exit ${run.status}, ${run.curls} of ${walkthrough.curls.length} curls):\n${run.stderr}\nplatform output:\n${first.output()}`);
    }
    const afterWalk = memoryOf(first.pid);
    log(`${tag}: walkthrough done in ${walkthroughS.toFixed(1)} s (${run.curls} curls checked), RSS ${afterWalk.rssMb.toFixed(0)} MB, peak ${afterWalk.peakMb.toFixed(0)} MB; SIGTERM…`);
    const stopS = await stopPlatform(first);
    log(`${tag}: stopped in ${stopS.toFixed(2)} s; later start on the same DATA_DIR…`);
    const later = await startPlatform(dataDir);
    const rssLaterReady = memoryOf(later.pid).rssMb;
    log(`${tag}: ready in ${later.readyS.toFixed(2)} s, RSS ${rssLaterReady.toFixed(0)} MB; SIGTERM…`);
    // main.ts installs its SIGTERM handler just after printing `platform ready`: a SIGTERM sent
    // the instant the line arrives can beat it and kill the process (exit by signal, not 0).
    await sleep(SIGNAL_HANDLER_GRACE_MS);
    await stopPlatform(later);
    return {
      firstStartS: first.readyS,
      codeLoadedS: first.codeLoadedS,
      rssFirstReadyMb: rssFirstReady,
      walkthroughS,
      rssAfterWalkthroughMb: afterWalk.rssMb,
      peakFirstMb: afterWalk.peakMb,
      stopS,
      laterStartS: later.readyS,
      rssLaterReadyMb: rssLaterReady,
    };
  } finally {
    for (const child of live) killGroup(child);
    fs.rmSync(dir, { recursive: true, force: true });
    scratch.delete(dir);
  }
}

/** config.yaml's default cost, which `npm start` hashes the walkthrough's passwords with. */
function scryptCost(): string {
  const config = fs.readFileSync(path.join(ROOT, 'apps/platform/config.yaml'), 'utf8');
  return /\$\{PASSWORD_SCRYPT_COST:(\d+)\}/.exec(config)?.[1] ?? 'as config.yaml sets it';
}

const loadLine = (load: number[]) => load.map((n) => n.toFixed(2)).join(' / ');

function report(results: Round[], startedAt: Date, loadAtStart: number[], loadAtEnd: number[], curls: number): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const rows: { what: string; key: keyof Round; unit: 's' | 'MB'; target?: number }[] = [
    { what: 'first start, fresh DATA_DIR: spawn → `platform ready`', key: 'firstStartS', unit: 's', target: TARGETS.firstStartS },
    { what: '… of which spawn → `preparing embedded databases` (code loaded, before any database)', key: 'codeLoadedS', unit: 's' },
    { what: 'later start, same DATA_DIR: spawn → `platform ready`', key: 'laterStartS', unit: 's', target: TARGETS.laterStartS },
    { what: 'RSS after the README walkthrough (first-start process)', key: 'rssAfterWalkthroughMb', unit: 'MB', target: TARGETS.rssAfterWalkthroughMb },
    { what: 'RSS at `platform ready`, first start', key: 'rssFirstReadyMb', unit: 'MB' },
    { what: 'RSS at `platform ready`, later start', key: 'rssLaterReadyMb', unit: 'MB' },
    { what: 'peak RSS (VmHWM) of the first-start process, after the walkthrough', key: 'peakFirstMb', unit: 'MB' },
    { what: `README walkthrough (${curls} curls, each reply checked)`, key: 'walkthroughS', unit: 's' },
    { what: 'graceful stop after the walkthrough: SIGTERM → exit 0', key: 'stopS', unit: 's' },
  ];
  const fmt = (n: number, unit: 's' | 'MB') => (unit === 's' ? n.toFixed(2) : n.toFixed(0));
  const lines = [
    `### \`npm start\` on the embedded defaults: start-up time and memory — ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}`,
    '',
    `Machine: ${cpus.length} cores (${model}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, Node ${process.version}, ${os.type()} ${os.release()}.  `,
    `Load average (1 / 5 / 15 min): ${loadLine(loadAtStart)} at start, ${loadLine(loadAtEnd)} at end; the machine is shared, so other work may have run meanwhile.  `,
    `${results.length} round${results.length === 1 ? '' : 's'}, each on a new temp DATA_DIR: first start → README walkthrough → SIGTERM → later start → SIGTERM. ` +
      '`node --import tsx apps/platform/src/main.ts` spawned directly (cwd the repository root, as `npm start` runs it), every listener on a free port (0), ' +
      `no setting otherwise (LOG_LEVEL warn, PASSWORD_SCRYPT_COST ${scryptCost()}). Times from spawn to the line on stdout; RSS is VmRSS of that node process, MB = 2^20 bytes.`,
    '',
    '| Measure | median | min–max | target | |',
    '|---|---:|---:|---:|---|',
  ];
  for (const row of rows) {
    const values = results.map((r) => r[row.key]);
    const mid = median(values);
    const range = `${fmt(Math.min(...values), row.unit)}–${fmt(Math.max(...values), row.unit)}`;
    const target = row.target === undefined ? '' : `≤ ${row.target} ${row.unit}`;
    const met = row.target === undefined ? '' : mid <= row.target ? '**met**' : `**not met** (${(mid / row.target).toFixed(1)}× the target)`;
    lines.push(`| ${row.what} | ${fmt(mid, row.unit)} ${row.unit} | ${range} | ${target} | ${met} |`);
  }
  lines.push('', '| Round | first start s | later start s | RSS ready (first) MB | RSS after walkthrough MB | RSS ready (later) MB |', '|---:|---:|---:|---:|---:|---:|');
  results.forEach((r, i) => {
    lines.push(`| ${i + 1} | ${r.firstStartS.toFixed(2)} | ${r.laterStartS.toFixed(2)} | ${r.rssFirstReadyMb.toFixed(0)} | ${r.rssAfterWalkthroughMb.toFixed(0)} | ${r.rssLaterReadyMb.toFixed(0)} |`);
  });
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  if (process.platform !== 'linux') throw new Error('this benchmark reads /proc/<pid>/status: Linux only');
  const total = rounds();
  const walkthrough = readWalkthrough(path.join(ROOT, 'README.md'));
  const startedAt = new Date();
  const loadAtStart = os.loadavg();
  log(`bench:start: ${total} round(s); ${os.cpus().length} cores, Node ${process.version}, load average ${loadLine(loadAtStart)}`);
  const results: Round[] = [];
  for (let round = 1; round <= total; round++) results.push(await runRound(round, total, walkthrough));
  const table = report(results, startedAt, loadAtStart, os.loadavg(), walkthrough.curls.length);
  fs.writeFileSync(OUTPUT, table);
  process.stdout.write(table);
  log(`written to ${path.relative(ROOT, OUTPUT)}`);
}

const interrupted = (signal: NodeJS.Signals) => {
  cleanUp();
  log(`${signal}: platform processes killed, temp folders removed`);
  process.exit(130);
};
process.on('SIGINT', interrupted);
process.on('SIGTERM', interrupted);
// Whatever happens, no platform outlives the benchmark.
process.on('exit', cleanUp);

main().then(
  () => process.exit(0),
  (error: unknown) => {
    cleanUp();
    log(`bench:start failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
