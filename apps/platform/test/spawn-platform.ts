// Runs apps/platform/src/main.ts (what `npm start` runs) in a child process, as a user would.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');

/** Every variable the platform reads, so that a test starts from nothing but what it gives. */
export const PLATFORM_KEYS = [
  'AMQP_URI', 'LOG_LEVEL', 'MAX_WORKERS', 'DATA_DIR', 'USER_DATABASE_URL', 'PROJECT_DATABASE_URL', 'PAYMENT_DATABASE_URL',
  'MESSAGING_DATABASE_URL', 'PASSWORD_SCRYPT_COST', 'INITIAL_ADMIN_EMAIL', 'INITIAL_ADMIN_PASSWORD', 'INITIAL_ADMIN_NAME',
  'INITIAL_SUPPORT_EMAIL', 'INITIAL_SUPPORT_PASSWORD', 'INITIAL_SUPPORT_NAME', 'STRIPE_API_KEY', 'STRIPE_API_BASE',
  'STRIPE_EMULATOR_PORT', 'MAIL_PAGE_PORT', 'SMTP_HOST', 'SMTP_PORT', 'SMTP_SECURE', 'SMTP_USER', 'SMTP_PASSWORD', 'MAIL_FROM', 'ENV_FILE',
  'WEB_PORT', 'ADMIN_PORT', 'SUPPORT_PORT', 'HOST', 'JWT_SECRET', 'LOGIN_RATE_LIMIT', 'PAYMENT_RATE_LIMIT', 'WEB_LOGIN_RATE_LIMIT',
  'WEB_PAYMENT_RATE_LIMIT', 'ADMIN_LOGIN_RATE_LIMIT', 'ADMIN_PAYMENT_RATE_LIMIT', 'SUPPORT_LOGIN_RATE_LIMIT',
];

export interface RunningPlatform {
  child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

/** This process's environment without any of the platform's settings, and with no .env file. */
export function environmentWithoutSettings(): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const key of PLATFORM_KEYS) delete base[key];
  // NODE_OPTIONS of jest (--experimental-vm-modules) is not the platform's business
  delete base.NODE_OPTIONS;
  return { ...base, ENV_FILE: path.join(root, 'tmp', 'no-such-env-file') };
}

export function spawnPlatform(env: Record<string, string>): RunningPlatform {
  const base = environmentWithoutSettings();
  // `node --import tsx`, not the tsx command: tsx runs the program in a child process of its own,
  // which a SIGKILL of tsx would leave running (and answering calls) after the test.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/platform/src/main.ts')], {
    cwd: root,
    // Facades on any free port: a test must not depend on 8000 being free.
    env: { ...base, WEB_PORT: '0', ADMIN_PORT: '0', SUPPORT_PORT: '0', MAIL_PAGE_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, timeoutMs = 90_000): Promise<string> => {
    const start = Date.now();
    while (!pattern.test(text)) {
      if (child.exitCode !== null) throw new Error(`the platform exited (${child.exitCode}) before printing ${pattern}:\n${text}`);
      if (Date.now() - start > timeoutMs) throw new Error(`the platform did not print ${pattern} within ${timeoutMs} ms:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return text;
  };
  return { child, output: () => text, waitFor, exited };
}
