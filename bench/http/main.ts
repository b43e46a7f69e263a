// `npm run bench:http`: the web facade driven over HTTP on RabbitMQ and PostgreSQL (the whole
// platform in one process, spawned: apps/platform/src/main.ts), against a one-process fastify + pg
// baseline doing the same SQL with no broker (bench/http/baseline-server.ts), rounds interleaved:
//
// - read: GET /projects with a logged-in customer's token (BENCH_PROJECTS projects of hers), at 10
//   and at 50 connections (autocannon);
// - flow: per virtual user, POST /projects/{id}/orders, then POST …/orders/{order}/payment with
//   pm_card_visa and an Idempotency-Key, 10 users at once (a loop of this file's own, one flow's
//   time from the first request to the payment's `paid`).
//
// The run has a RabbitMQ vhost and PostgreSQL databases of its own (prefix bench_http_<random>),
// created at the start and dropped at the end, whatever happens (Ctrl-C included), as are the two
// server processes (each in a process group of its own) and the temp DATA_DIR.
// Target (issue 14): the read path ≥ 0.5× the baseline's requests/s; the flow's p99 at 10 users reported.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import amqplib from 'amqplib';
import autocannon from 'autocannon';
import pg from 'pg';
import { roundOrder } from '../shared/harness';
import { median } from '../rpc/measure';

const ROOT = path.resolve(__dirname, '..', '..');
const OUTPUT = path.join(__dirname, 'last-run.md');
const TARGET_READ_RATIO = 0.5;
const READY_TIMEOUT_MS = 120_000;
const FLOW_USERS = 10;

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function numberEnv(name: string, fallback: number, min: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} is ${JSON.stringify(text)}: expected a number of at least ${min}`);
  return n;
}

const config = {
  amqpUri: (process.env.BENCH_AMQP_URI ?? 'amqp://guest:guest@127.0.0.1:5672').replace(/\/+$/, ''),
  postgresUrl: (process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, ''),
  rounds: Math.floor(numberEnv('BENCH_ROUNDS', 3, 1)),
  roundMs: numberEnv('BENCH_ROUND_MS', 10_000, 1000),
  warmupMs: numberEnv('BENCH_WARMUP_MS', 3000, 0),
  projects: Math.floor(numberEnv('BENCH_PROJECTS', 5, 1)),
  /** A folder: the platform process runs with `node --cpu-prof` and writes its profile there at the end. */
  cpuProfDir: process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : undefined,
};

// ---- what must be undone, whatever happens -------------------------------------------------

const runId = randomBytes(4).toString('hex');
const prefix = `bench_http_${runId}`;
const vhost = `bench-http-${runId}`;
const live = new Set<ChildProcess>();
const undo: { what: string; run: () => Promise<void> | void }[] = [];

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopChild(child: ChildProcess, name: string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    log(`${name} did not stop within 30 s of SIGTERM: killed`);
    killGroup(child);
  }, 30_000);
  await exited;
  clearTimeout(timer);
}

let cleaning: Promise<string[]> | undefined;

/** Undoes everything, once: a second call waits for the first. */
function cleanUp(): Promise<string[]> {
  cleaning ??= undoAll();
  return cleaning;
}

async function undoAll(): Promise<string[]> {
  const problems: string[] = [];
  for (const step of undo.reverse()) {
    try {
      await step.run();
    } catch (error) {
      problems.push(`${step.what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const child of live) killGroup(child);
  return problems;
}

// ---- RabbitMQ and PostgreSQL of the run's own ----------------------------------------------

async function checkBroker(): Promise<void> {
  try {
    const connection = await amqplib.connect(`${config.amqpUri}/`, { timeout: 5000 });
    await connection.close();
  } catch (error) {
    throw new Error(`RabbitMQ is unreachable at ${config.amqpUri} (${error instanceof Error ? error.message : String(error)}); set BENCH_AMQP_URI`);
  }
}

function rabbitmqctl(args: string[]): void {
  execFileSync('rabbitmqctl', ['-q', ...args], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
}

function createVhost(): string {
  try {
    rabbitmqctl(['add_vhost', vhost]);
  } catch (error) {
    throw new Error(`could not create the vhost ${vhost} with rabbitmqctl: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  undo.push({ what: `delete vhost ${vhost}`, run: () => rabbitmqctl(['delete_vhost', vhost]) });
  const user = new URL(config.amqpUri).username || 'guest';
  rabbitmqctl(['set_permissions', '-p', vhost, decodeURIComponent(user), '.*', '.*', '.*']);
  return `${config.amqpUri}/${encodeURIComponent(vhost)}`;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${config.postgresUrl}/postgres`, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is unreachable at ${config.postgresUrl} (${error instanceof Error ? error.message : String(error)}); set BENCH_POSTGRES_URL`);
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const DATABASES = ['user', 'project', 'payment', 'messaging', 'base_project', 'base_payment'] as const;
const dbUrl = (name: (typeof DATABASES)[number]) => `${config.postgresUrl}/${prefix}_${name}`;

async function createDatabases(): Promise<void> {
  undo.push({
    what: `drop databases ${prefix}_*`,
    run: () =>
      admin(async (client) => {
        const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}%`]);
        for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }),
  });
  await admin(async (client) => {
    for (const name of DATABASES) await client.query(`CREATE DATABASE "${prefix}_${name}"`);
  });
}

/** pg_dump of a platform database into its baseline copy: the same schema, rows and indexes. */
async function copyDatabase(from: string, to: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const dump = spawn('pg_dump', ['--no-owner', '--no-privileges', '-d', from], { stdio: ['ignore', 'pipe', 'pipe'] });
    const restore = spawn('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-d', to], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    dump.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    restore.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    dump.stdout.pipe(restore.stdin);
    let pending = 2;
    const done = (code: number | null) => {
      if (code !== 0) reject(new Error(`copying ${from} to ${to} failed (${code}): ${errors}`));
      else if (--pending === 0) resolve();
    };
    dump.once('exit', done);
    restore.once('exit', done);
    dump.once('error', reject);
    restore.once('error', reject);
  });
}

// ---- the two servers -----------------------------------------------------------------------

function spawnServer(name: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; text: () => string; match: RegExpExecArray }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  live.add(child);
  child.once('exit', () => live.delete(child));
  undo.push({ what: `stop ${name}`, run: () => stopChild(child, name) });
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not ready within ${READY_TIMEOUT_MS} ms:\n${text}`)), READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = ready.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve({ child, text: () => text, match });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('error', (error) => reject(new Error(`${name}: could not spawn node: ${error.message}`)));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${text}`));
    });
  });
}

/** This process's environment without the platform's settings that would change what is measured, and with no .env file. */
function environmentWithoutSettings(dataDir: string): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(SMTP_|STRIPE_|METRICS_|OTEL_|INITIAL_|ACCESS_|MAX_WORKERS$|PASSWORD_SCRYPT_COST$|JWT_SECRET$|HOST$|NODE_OPTIONS$)/.test(key)) delete env[key];
  }
  return { ...env, ENV_FILE: path.join(dataDir, 'no-such-env-file') };
}

async function startPlatform(amqpUri: string, dataDir: string): Promise<{ web: string; pid: number }> {
  const env = {
    ...environmentWithoutSettings(dataDir),
    AMQP_URI: amqpUri,
    USER_DATABASE_URL: dbUrl('user'),
    PROJECT_DATABASE_URL: dbUrl('project'),
    PAYMENT_DATABASE_URL: dbUrl('payment'),
    MESSAGING_DATABASE_URL: dbUrl('messaging'),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    WEB_PORT: '0',
    ADMIN_PORT: '0',
    SUPPORT_PORT: '0',
    MAIL_PAGE_PORT: 'off',
    STRIPE_EMULATOR_PORT: '0',
    // The benchmark logs in a few times and pays many times a second, from one address.
    LOGIN_RATE_LIMIT: 'off',
    PAYMENT_RATE_LIMIT: 'off',
  };
  const args = [...(config.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${config.cpuProfDir}`] : []), '--import', 'tsx', 'apps/platform/src/main.ts'];
  const { child, match } = await spawnServer('the platform', args, env, /^\s+web\s+(http:\/\/\S+) for[^\n]*\n[\s\S]*^platform ready/m);
  return { web: match[1]!, pid: child.pid! };
}

async function startBaseline(): Promise<string> {
  const env = { ...process.env, BASE_PROJECT_URL: dbUrl('base_project'), BASE_PAYMENT_URL: dbUrl('base_payment') };
  const { match } = await spawnServer('the baseline', ['--import', 'tsx', 'bench/http/baseline-server.ts'], env, /^listening (http:\/\/\S+)$/m);
  return match[1]!;
}

// ---- HTTP ----------------------------------------------------------------------------------

interface Reply {
  status: number;
  body: string;
}

function request(agent: http.Agent, base: string, method: string, route: string, headers: Record<string, string>, body?: unknown): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(route, base),
      { method, agent, headers: { ...headers, ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function expectJson<T>(reply: Promise<Reply>, status: number, what: string): Promise<T> {
  const got = await reply;
  if (got.status !== status) throw new Error(`${what}: ${got.status}, expected ${status}: ${got.body}`);
  return JSON.parse(got.body) as T;
}

// ---- the data ------------------------------------------------------------------------------

interface Customer {
  id: string;
  token: string;
  projectId: string;
  cardId: string;
}

async function prepareData(web: string): Promise<{ reader: Customer; payers: Customer[] }> {
  const agent = new http.Agent({ keepAlive: true });
  const json = { 'content-type': 'application/json' };
  const customer = async (n: string, projects: number, card: boolean): Promise<Customer> => {
    const email = `${n}-${runId}@bench.example`;
    const password = 'correct horse battery staple';
    const user = await expectJson<{ id: string }>(request(agent, web, 'POST', '/register', json, { email, name: n, password }), 201, `register ${n}`);
    const { token } = await expectJson<{ token: string }>(request(agent, web, 'POST', '/login', json, { email, password }), 200, `login ${n}`);
    const auth = { authorization: `Bearer ${token}` };
    let projectId = '';
    for (let i = 0; i < projects; i++) {
      const body = { name: `Project ${i + 1} of ${n}`, description: 'A project the benchmark reads and orders on' };
      projectId = (await expectJson<{ id: string }>(request(agent, web, 'POST', '/projects', auth, body), 201, `create project ${i + 1} of ${n}`)).id;
    }
    const cardId = card ? (await expectJson<{ id: string }>(request(agent, web, 'POST', '/payment-methods', auth, { token: 'pm_card_visa' }), 201, `add a card for ${n}`)).id : '';
    return { id: user.id, token, projectId, cardId };
  };
  try {
    const reader = await customer('reader', config.projects, false);
    log(`  reader: ${config.projects} projects`);
    const payers: Customer[] = [];
    for (let i = 1; i <= FLOW_USERS; i++) payers.push(await customer(`payer${i}`, 1, true));
    log(`  ${FLOW_USERS} payers: a project and pm_card_visa each`);
    const listed = await expectJson<unknown[]>(request(agent, web, 'GET', '/projects', { authorization: `Bearer ${reader.token}` }), 200, 'list projects');
    if (listed.length !== config.projects) throw new Error(`GET /projects lists ${listed.length} projects, expected ${config.projects}`);
    return { reader, payers };
  } finally {
    agent.destroy();
  }
}

// ---- load ----------------------------------------------------------------------------------

interface Stats {
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  count: number;
  /** Flow only: payments sent again because payment had not yet opened the order's transaction. */
  retries: number;
}

interface Target {
  key: 'shimeji' | 'baseline';
  label: string;
  url: string;
  /** The bearer token of a customer: the platform's JWT, or the user id for the baseline. */
  token(customer: Customer): string;
}

async function readLoad(target: Target, reader: Customer, connections: number, durationMs: number, signal: AbortSignal): Promise<Stats> {
  let onAbort = (): void => undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: `${target.url}/projects`, connections, duration: durationMs / 1000, headers: { authorization: `Bearer ${target.token(reader)}` } },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    onAbort = () => instance.stop();
    signal.addEventListener('abort', onAbort, { once: true });
  });
  signal.removeEventListener('abort', onAbort);
  if (signal.aborted) throw new Error('interrupted');
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${target.label} GET /projects: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return { perSec: result.requests.total / result.duration, p50Ms: result.latency.p50, p99Ms: result.latency.p99, count: result.requests.total, retries: 0 };
}

const PAY_RETRY_MS = 2;
const PAY_ATTEMPTS = 500;

async function flowLoad(target: Target, payers: Customer[], durationMs: number, signal: AbortSignal): Promise<Stats> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: payers.length });
  const times: number[] = [];
  let retries = 0;
  const start = performance.now();
  const end = start + durationMs;
  const lane = async (payer: Customer, n: number) => {
    const auth = { authorization: `Bearer ${target.token(payer)}` };
    const orders = `/projects/${payer.projectId}/orders`;
    for (let i = 0; performance.now() < end && !signal.aborted; i++) {
      const t0 = performance.now();
      const order = await expectJson<{ id: string; status: string }>(
        request(agent, target.url, 'POST', orders, auth, { description: `Seeds ${n}.${i}`, amount: 1500, currency: 'EUR' }),
        201,
        `${target.label} place an order`,
      );
      const headers = { ...auth, 'idempotency-key': randomUUID() };
      for (let attempt = 1; ; attempt++) {
        const paid = await request(agent, target.url, 'POST', `${orders}/${order.id}/payment`, headers, { payment_method_id: payer.cardId });
        if (paid.status === 200) {
          const body = JSON.parse(paid.body) as { state: string; order_id: string };
          if (body.state !== 'paid' || body.order_id !== order.id) throw new Error(`${target.label} pay: ${paid.body}`);
          break;
        }
        // payment opens the order's transaction on order_placed, after the order's reply: it may not have yet.
        if (paid.status !== 404 || attempt >= PAY_ATTEMPTS) throw new Error(`${target.label} pay (attempt ${attempt}): ${paid.status} ${paid.body}`);
        retries++;
        await sleep(PAY_RETRY_MS);
      }
      times.push(performance.now() - t0);
    }
  };
  try {
    await Promise.all(payers.map((payer, n) => lane(payer, n)));
  } finally {
    agent.destroy();
  }
  if (signal.aborted) throw new Error('interrupted');
  const elapsed = (performance.now() - start) / 1000;
  const sorted = times.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  return { perSec: times.length / elapsed, p50Ms: at(0.5), p99Ms: at(0.99), count: times.length, retries };
}

// ---- report --------------------------------------------------------------------------------

interface Mode {
  key: string;
  what: string;
  run(target: Target, durationMs: number, signal: AbortSignal): Promise<Stats>;
}

const fmt = {
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  ms: (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1)),
  ratio: (n: number) => n.toFixed(2),
  load: (l: number[]) => l.map((n) => n.toFixed(2)).join(' / '),
};

function report(modes: Mode[], targets: Target[], rounds: Record<string, Record<string, Stats[]>>, startedAt: Date, loadStart: number[], loadEnd: number[]): string {
  const cpu = os.cpus();
  const lines = [
    `### HTTP: the web facade on RabbitMQ + PostgreSQL against one-process fastify + pg — ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}`,
    '',
    `Machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, Node ${process.version}, ${os.type()} ${os.release()}.  `,
    `Load average (1 / 5 / 15 min): ${fmt.load(loadStart)} at start, ${fmt.load(loadEnd)} at end; the machine is shared.  `,
    `${config.rounds} interleaved round${config.rounds === 1 ? '' : 's'} of ${config.roundMs / 1000} s per server and mode after ${config.warmupMs / 1000} s warm-up each; ` +
      `medians across rounds (p50/p99 are each round's, then the median of those). The platform (apps/platform/src/main.ts, its own process: four services, ` +
      'three facades, the Stripe emulator) on a vhost and four databases of the run; the baseline (bench/http/baseline-server.ts, its own process) on pg_dump copies of ' +
      `the project and payment databases. Load from a third process: autocannon for the read, ${FLOW_USERS} loops of node:http for the flow.`,
    '',
    '| Mode | Server | requests/s (flows/s) | min–max | p50 ms | p99 ms | shimeji / baseline, per second | p50 ratio | p99 ratio |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const med = (mode: string, key: string, field: keyof Stats) => median(rounds[mode]![key]!.map((s) => s[field]));
  for (const mode of modes) {
    for (const target of targets) {
      const stats = rounds[mode.key]![target.key]!;
      const perSec = stats.map((s) => s.perSec);
      const ratios =
        target.key === 'shimeji'
          ? [
              fmt.ratio(med(mode.key, 'shimeji', 'perSec') / med(mode.key, 'baseline', 'perSec')),
              fmt.ratio(med(mode.key, 'shimeji', 'p50Ms') / med(mode.key, 'baseline', 'p50Ms')),
              fmt.ratio(med(mode.key, 'shimeji', 'p99Ms') / med(mode.key, 'baseline', 'p99Ms')),
            ]
          : ['', '', ''];
      lines.push(
        `| ${mode.what} | ${target.label} | ${fmt.int(median(perSec))} | ${fmt.int(Math.min(...perSec))}–${fmt.int(Math.max(...perSec))} | ` +
          `${fmt.ms(med(mode.key, target.key, 'p50Ms'))} | ${fmt.ms(med(mode.key, target.key, 'p99Ms'))} | ${ratios.join(' | ')} |`,
      );
    }
  }
  lines.push('', '| Target | Value | Target | Result |', '|---|---:|---:|:---:|');
  for (const key of ['read10', 'read50']) {
    const value = med(key, 'shimeji', 'perSec') / med(key, 'baseline', 'perSec');
    const what = modes.find((m) => m.key === key)!.what;
    lines.push(`| ${what}: shimeji / baseline requests/s | ${fmt.ratio(value)} | ≥ ${TARGET_READ_RATIO} | **${value >= TARGET_READ_RATIO ? 'PASS' : 'FAIL'}** |`);
  }
  lines.push(`| order-and-pay flow, ${FLOW_USERS} users: p99 of a flow on the platform | ${fmt.ms(med('flow', 'shimeji', 'p99Ms'))} ms | reported | – |`);
  const retries = rounds.flow!.shimeji!.reduce((sum, s) => sum + s.retries, 0);
  const flows = rounds.flow!.shimeji!.reduce((sum, s) => sum + s.count, 0);
  lines.push(
    '',
    `Flows on the platform whose payment found no transaction yet and was sent again (payment opens it on order_placed, after the order's reply; ${PAY_RETRY_MS} ms apart): ` +
      `${retries} retries over ${fmt.int(flows)} flows; a flow's time includes them.  `,
    'Per-round requests/s ratios, shimeji / baseline (same round): ' +
      modes
        .map((mode) => `${mode.key} ${rounds[mode.key]!.shimeji!.map((s, i) => fmt.ratio(s.perSec / rounds[mode.key]!.baseline![i]!.perSec)).join(', ')}`)
        .join('; '),
  );
  return `${lines.join('\n')}\n`;
}

const HANG_MS = 30_000;

/** A run still going HANG_MS after its end fails the benchmark, rather than hanging it. */
async function watched<T>(run: Promise<T>, durationMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still running ${HANG_MS} ms after its end`)), durationMs + HANG_MS);
  });
  try {
    return await Promise.race([run, hung]);
  } finally {
    clearTimeout(timer);
  }
}

// ---- main ----------------------------------------------------------------------------------

async function main(signal: AbortSignal): Promise<void> {
  const startedAt = new Date();
  const loadStart = os.loadavg();
  log(`bench:http: ${config.rounds} round(s) of ${config.roundMs} ms, warm-up ${config.warmupMs} ms; ${os.cpus().length} cores, Node ${process.version}, load ${fmt.load(loadStart)}`);
  await checkBroker();
  await admin(async () => undefined);
  const amqpUri = createVhost();
  await createDatabases();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-http-'));
  undo.unshift({ what: `remove ${dataDir}`, run: () => fs.rmSync(dataDir, { recursive: true, force: true }) });
  if (config.cpuProfDir) fs.mkdirSync(config.cpuProfDir, { recursive: true });
  log(`vhost ${vhost}, databases ${prefix}_*, DATA_DIR ${dataDir}; starting the platform…`);
  const platform = await startPlatform(amqpUri, dataDir);
  log(`platform ready (pid ${platform.pid}), web facade at ${platform.web}; preparing customers…`);
  const { reader, payers } = await prepareData(platform.web);
  // Let the events of the preparation (welcome emails, …) settle before the copy and the rounds.
  await sleep(1000);
  log('copying the project and payment databases for the baseline (pg_dump | psql)…');
  await copyDatabase(dbUrl('project'), dbUrl('base_project'));
  await copyDatabase(dbUrl('payment'), dbUrl('base_payment'));
  const baselineUrl = await startBaseline();
  log(`baseline at ${baselineUrl}`);
  if (signal.aborted) throw new Error('interrupted');

  const targets: Target[] = [
    { key: 'shimeji', label: 'platform (shimeji, RabbitMQ, PostgreSQL)', url: platform.web, token: (c) => c.token },
    { key: 'baseline', label: 'baseline (fastify + pg)', url: baselineUrl, token: (c) => c.id },
  ];
  const modes: Mode[] = [
    { key: 'read10', what: 'GET /projects, 10 connections', run: (t, d, s) => readLoad(t, reader, 10, d, s) },
    { key: 'read50', what: 'GET /projects, 50 connections', run: (t, d, s) => readLoad(t, reader, 50, d, s) },
    { key: 'flow', what: `order and pay, ${FLOW_USERS} users (flows)`, run: (t, d, s) => flowLoad(t, payers, d, s) },
  ];
  if (config.warmupMs > 0) {
    log(`warm-up: ${config.warmupMs} ms per server and mode`);
    for (const target of targets) {
      for (const mode of modes) {
        const stats = await watched(mode.run(target, config.warmupMs, signal), config.warmupMs, `${target.key} ${mode.key} warm-up`);
        log(`  warm-up ${mode.key.padEnd(6)} ${target.key.padEnd(8)} ${fmt.int(stats.perSec)}/s`);
      }
    }
  }
  const rounds: Record<string, Record<string, Stats[]>> = Object.fromEntries(modes.map((m) => [m.key, { shimeji: [], baseline: [] }]));
  for (let round = 0; round < config.rounds; round++) {
    for (const mode of modes) {
      for (const target of roundOrder(targets, round)) {
        const stats = await watched(mode.run(target, config.roundMs, signal), config.roundMs, `${target.key} ${mode.key} round ${round + 1}`);
        rounds[mode.key]![target.key]!.push(stats);
        log(
          `round ${round + 1}/${config.rounds} ${mode.key.padEnd(6)} ${target.key.padEnd(8)} ${fmt.int(stats.perSec).padStart(6)}/s  ` +
            `p50 ${fmt.ms(stats.p50Ms)} ms  p99 ${fmt.ms(stats.p99Ms)} ms  (${stats.count}${mode.key === 'flow' ? ` flows, ${stats.retries} retries` : ' requests'})`,
        );
      }
    }
  }
  const table = report(modes, targets, rounds, startedAt, loadStart, os.loadavg());
  fs.writeFileSync(OUTPUT, table);
  process.stdout.write(table);
  log(`written to ${path.relative(ROOT, OUTPUT)}`);
}

const aborter = new AbortController();
let interrupts = 0;
const onSignal = (signal: NodeJS.Signals) => {
  interrupts++;
  if (interrupts > 1) {
    for (const child of live) killGroup(child);
    process.exit(130);
  }
  log(`${signal}: stopping, cleaning up (again to kill at once)`);
  aborter.abort();
  // Whatever the run was waiting for, the cleanup does not wait for it.
  void cleanUp().then((problems) => {
    for (const problem of problems) log(`cleanup FAILED: ${problem}`);
    log('interrupted: no results');
    process.exit(130);
  });
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// Whatever happens, no server outlives the benchmark.
process.on('exit', () => {
  for (const child of live) killGroup(child);
});

main(aborter.signal).then(
  async () => {
    const problems = await cleanUp();
    for (const problem of problems) log(`cleanup FAILED: ${problem}`);
    if (config.cpuProfDir) log(`CPU profile of the platform in ${config.cpuProfDir}`);
    process.exit(problems.length > 0 ? 1 : 0);
  },
  async (error: unknown) => {
    if (aborter.signal.aborted) log('interrupted: no results');
    else log(`BENCHMARK FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const problems = await cleanUp();
    for (const problem of problems) log(`cleanup FAILED: ${problem}`);
    process.exit(aborter.signal.aborted ? 130 : 1);
  },
);
