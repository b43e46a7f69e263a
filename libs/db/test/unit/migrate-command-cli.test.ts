// `shimeji-db` as an operator types it: help, and typos answered without a stack trace.
import { main } from '../../src/migrate-command';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('the shimeji-db command line', () => {
  it.each([['--help'], ['-h']])('prints the usage and exits 0 on %s', async (flag) => {
    const { code, stdout, stderr } = await run([flag]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: shimeji-db migrate <module…> \[--config file\.yaml\]/);
    expect(stdout).toContain('--help');
    expect(stderr).toBe('');
  });

  it('answers an unknown option with one line naming it, then the usage, and exits 2', async () => {
    const { code, stdout, stderr } = await run(['migrate', 'services/user/src/service.ts', '--bogus']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const [first, ...rest] = stderr.split('\n');
    expect(first).toMatch(/^shimeji-db: Unknown option '--bogus'/);
    expect(rest.join('\n')).toMatch(/^usage: shimeji-db migrate/);
  });

  it('answers a --config without its file with the usage and exit 2', async () => {
    const { code, stderr } = await run(['migrate', 'services/user/src/service.ts', '--config']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^shimeji-db: Option '-c, --config <value>' argument missing\nusage:/);
  });

  it('still answers a missing command with the usage and exit 2', async () => {
    const { code, stderr } = await run([]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^usage: shimeji-db migrate/);
  });
});
