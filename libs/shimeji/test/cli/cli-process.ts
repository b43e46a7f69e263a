// Runs the shimeji command in a child process, as a user would, and watches its output.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const BIN = path.resolve(__dirname, '../../bin/shimeji.cjs');

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves once `text` has appeared `times` times in the output. */
  waitForCount(text: string, times: number, timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** Whether `script` (util-linux) can give a child a terminal here: the shell's Tab and history need one. */
export function ptyUnavailable(): string | undefined {
  const found = spawnSync('script', ['--version'], { encoding: 'utf8' });
  return found.status === 0 ? undefined : 'util-linux `script` is not installed';
}

/**
 * The command in a pseudo-terminal (through util-linux `script`), as a person at a terminal runs
 * it: what is written to its stdin arrives as typed keys (`\t` is Tab, `\r` Enter).
 */
export function startCliInPty(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  // A terminal readline drives (TERM=dumb would make it line-based); its escape codes are left out of output().
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: path.resolve(__dirname, '../..'), env: { ...process.env, TERM: 'xterm', ...env } });
  return watch(child, (text) => stripVTControlCharacters(text));
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  return watch(spawn(process.execPath, [BIN, ...args], { cwd: path.resolve(__dirname, '../..'), env: { ...process.env, ...env } }));
}

function watch(child: ChildProcessWithoutNullStreams, clean = (chunk: string) => chunk): CliProcess {
  let text = '';
  child.stdout.on('data', (chunk) => (text += clean(String(chunk))));
  child.stderr.on('data', (chunk) => (text += clean(String(chunk))));
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
