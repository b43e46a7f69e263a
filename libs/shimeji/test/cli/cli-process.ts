// Runs the shimeji command in a child process, as a user would, and watches its output.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve(__dirname, '../../bin/shimeji.cjs');

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves once `text` has appeared `times` times in the output. */
  waitForCount(text: string, times: number, timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, ...env },
  });
  let text = '';
  child.stdout.on('data', (chunk) => (text += chunk));
  child.stderr.on('data', (chunk) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitUntil = async (ready: () => boolean, what: string, timeoutMs: number): Promise<void> => {
    const start = Date.now();
    while (!ready()) {
      if (Date.now() - start > timeoutMs) throw new Error(`no ${what} within ${timeoutMs} ms; got:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return {
    child,
    output: () => text,
    waitForCount: (needle, times, timeoutMs = 20_000) =>
      waitUntil(() => text.split(needle).length - 1 >= times, `${times} × "${needle}"`, timeoutMs),
    exited,
    waitForOutput: async (pattern, timeoutMs = 20_000) => {
      const start = Date.now();
      for (;;) {
        const match = pattern.exec(text);
        if (match) return match[0];
        if (Date.now() - start > timeoutMs) throw new Error(`no output matching ${pattern} within ${timeoutMs} ms; got:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}
