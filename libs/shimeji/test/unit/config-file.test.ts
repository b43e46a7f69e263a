import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfigFile, parseConfig } from '../../src/config-file';

describe('config files', () => {
  it('substitutes ${VAR} from the environment and ${VAR:default} when it is unset', () => {
    const config = parseConfig('AMQP_URI: amqp://${HOST}:${PORT:5672}/', { HOST: 'rabbit' });
    expect(config).toEqual({ AMQP_URI: 'amqp://rabbit:5672/' });
  });

  it('gives a value that is one placeholder alone the type its text reads as in YAML', () => {
    const config = parseConfig('maxWorkers: ${MAX_WORKERS:10}\nverbose: ${VERBOSE:false}\nname: ${NAME:x}', {});
    expect(config).toEqual({ maxWorkers: 10, verbose: false, name: 'x' });
  });

  it('substitutes inside nested mappings and lists', () => {
    const config = parseConfig('db:\n  urls: ["${A}", "${B:b}"]', { A: 'a' });
    expect(config).toEqual({ db: { urls: ['a', 'b'] } });
  });

  it('names the key and variable when a variable is unset and has no default', () => {
    expect(() => parseConfig('db:\n  url: ${DB_URL}', {})).toThrow(new ConfigError('config db.url needs the environment variable DB_URL, which is not set and has no default'));
  });

  it('reads an empty file as no config, and refuses one that is not a mapping', () => {
    expect(parseConfig('', {})).toEqual({});
    expect(() => parseConfig('- a\n- b', {}, 'list.yaml')).toThrow('list.yaml must be a mapping of keys to values');
    expect(() => parseConfig('a: [', {}, 'bad.yaml')).toThrow(/^bad\.yaml is not valid YAML/);
  });

  it('reads a file by path, and says which one it could not read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shimeji-config-'));
    const file = path.join(dir, 'config.yaml');
    fs.writeFileSync(file, 'maxWorkers: ${MAX_WORKERS:4}\n');
    expect(loadConfigFile(file, {})).toEqual({ maxWorkers: 4 });
    expect(() => loadConfigFile(path.join(dir, 'missing.yaml'))).toThrow(/cannot read config file .*missing\.yaml: ENOENT/);
    fs.rmSync(dir, { recursive: true });
  });
});
