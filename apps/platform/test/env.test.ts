import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { environmentWithDotEnv, parseDotEnv } from '../src/env';

describe('the .env file', () => {
  it('reads KEY=VALUE lines, comments, quotes and export', () => {
    expect(parseDotEnv('# comment\n\nAMQP_URI=amqp://guest:guest@127.0.0.1\nexport A="x y" \nB=\'#1\'\nC=2 # two\nnot a line\n')).toEqual({
      AMQP_URI: 'amqp://guest:guest@127.0.0.1',
      A: 'x y',
      B: '#1',
      C: '2',
    });
  });

  it('reads a double-quoted value over several lines, as node --env-file does', () => {
    expect(parseDotEnv('MAIL_FROM="Platform\n<no-reply@platform.local>"\nA=1\n')).toEqual({ MAIL_FROM: 'Platform\n<no-reply@platform.local>', A: '1' });
  });

  it('gives way to the process environment, and is optional', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dotenv-')), '.env');
    fs.writeFileSync(file, 'A=file\nB=file\n');
    expect(environmentWithDotEnv(file, { A: 'process' })).toEqual({ env: { A: 'process', B: 'file' }, loaded: true });
    expect(environmentWithDotEnv(`${file}.missing`, { A: 'process' })).toEqual({ env: { A: 'process' }, loaded: false });
  });
});
