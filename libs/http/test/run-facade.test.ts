import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { facadeConfig, rateLimitsFromConfig } from '../src';

describe('facadeConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facade-config-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('with no arguments the config is the environment', () => {
    const env = { AMQP_URI: 'amqp://broker', LOGIN_RATE_LIMIT: '5/minute' };
    expect(facadeConfig([], env)).toBe(env);
  });

  test('--config reads the file, its ${VAR:default} from the environment, as npm start does', () => {
    const file = path.join(dir, 'config.yaml');
    fs.writeFileSync(file, 'AMQP_URI: ${AMQP_URI:memory://here}\nLOGIN_RATE_LIMIT: ${LOGIN_RATE_LIMIT:10/minute}\nWEB_LOGIN_RATE_LIMIT: ${WEB_LOGIN_RATE_LIMIT:}\n');
    const config = facadeConfig(['--config', file], { WEB_LOGIN_RATE_LIMIT: 'off', UNRELATED: 'x' });
    expect(config).toEqual({ AMQP_URI: 'memory://here', LOGIN_RATE_LIMIT: '10/minute', WEB_LOGIN_RATE_LIMIT: 'off' });
    expect(rateLimitsFromConfig(config, 'web')).toEqual({ login: false });
    expect(rateLimitsFromConfig(config, 'admin')).toEqual({ login: { max: 10, timeWindow: 60_000 } });
  });

  test('an unknown argument or a missing file is an error saying so', () => {
    expect(() => facadeConfig(['--port', '80'], {})).toThrow(/--port/);
    expect(() => facadeConfig(['--config', path.join(dir, 'nope.yaml')], {})).toThrow(/cannot read config file .*nope\.yaml/);
  });
});
