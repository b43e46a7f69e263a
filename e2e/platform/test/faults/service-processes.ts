// Services run as their own processes (`shimeji run`, as a deployment runs them) on the test's
// broker, each with a config file of the settings it needs and the test access keys, and stopped
// gracefully after the test (killed if a stop hangs).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { accessConfig, testBrokerUri } from '@platform/shimeji/testing';

const REPO = path.resolve(__dirname, '../../../..');

export interface ServiceProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: string[];
  /** Resolves once the service says it started (its consumers listening: logged at info); rejects if it exits first or takes over a minute. */
  started: Promise<void>;
}

export interface ServiceProcesses {
  /** Starts `services/<name>/src/service.ts` with these settings besides the broker, log level and keys. */
  start(name: string, settings: Record<string, unknown>): ServiceProcess;
  /** Stops every process started (SIGTERM, then SIGKILL after 15 s) and removes the config files. */
  stopAll(): Promise<void>;
}

export function serviceProcesses(): ServiceProcesses {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'service-processes-'));
  const started: ServiceProcess[] = [];
  return {
    start(name, settings) {
      const file = path.join(dir, `${name}-${started.length}.yaml`);
      // YAML strings: the values go in as given, PEM keys and URLs alike.
      const all = { AMQP_URI: testBrokerUri(), logLevel: 'warn', ...accessConfig(), ...settings };
      fs.writeFileSync(file, Object.entries(all).map(([key, value]) => `${key}: ${JSON.stringify(value)}\n`).join(''));
      const child = spawn(path.join(REPO, 'node_modules/.bin/shimeji'), ['run', `services/${name}/src/service.ts`, '--config', file], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
      const output: string[] = [];
      child.stdout!.on('data', (chunk: Buffer) => output.push(String(chunk)));
      child.stderr!.on('data', (chunk: Buffer) => output.push(String(chunk)));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const ready = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s:\n${output.join('')}`)), 60_000);
        const watch = () => {
          if (!output.join('').includes(`service ${name} started`)) return;
          clearTimeout(timer);
          resolve();
        };
        child.stdout!.on('data', watch);
        void exited.then((code) => (clearTimeout(timer), reject(new Error(`${name} exited (${code}) before it started:\n${output.join('')}`))));
      });
      ready.catch(() => undefined); // a test that does not wait for it must not fail on it
      const process = { child, exited, output, started: ready };
      started.push(process);
      return process;
    },
    async stopAll() {
      for (const { child, exited } of started) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        child.kill('SIGTERM');
        // A graceful stop that hangs must not outlive the file: then it is killed.
        let timer: NodeJS.Timeout | undefined;
        const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(resolve, 15_000, false)))]);
        clearTimeout(timer);
        if (!stopped) child.kill('SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
