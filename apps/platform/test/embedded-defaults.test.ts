// `npm start` with no configuration at all: the embedded defaults, said at start; SIGTERM stops it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@platform/shimeji/testing';
import { type RunningPlatform, spawnPlatform } from './spawn-platform';

describe('the platform with no configuration', () => {
  let dataDir: string;
  let platform: RunningPlatform | undefined;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-embedded-'));
  });

  afterEach(async () => {
    if (platform && platform.child.exitCode === null) {
      platform.child.kill('SIGKILL');
      await platform.exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on the embedded defaults, says so, and stops cleanly on SIGTERM', async () => {
    platform = spawnPlatform({ DATA_DIR: dataDir, STRIPE_EMULATOR_PORT: '0', PASSWORD_SCRYPT_COST: '1024' });
    const banner = await platform.waitFor(/platform ready/);
    expect(banner).toMatch(/broker\s+in-memory transport \(memory:\/\/platform\)/);
    for (const service of ['user', 'project', 'payment', 'messaging']) {
      expect(banner).toContain(`embedded PGlite in ${path.join(dataDir, service)}`);
    }
    expect(banner).toMatch(/stripe\s+Stripe emulator in this process at http:\/\/127\.0\.0\.1:\d+/);
    expect(banner).toContain(`emails written as .eml files to ${path.join(dataDir, 'mail')}`);
    expect(banner).toContain('admin@platform.local / admin-password');
    expect(banner).toContain('support@platform.local / support-password');
    expect(banner).toMatch(/facades\s+not available yet|web\s+http:\/\//);

    platform.child.kill('SIGTERM');
    expect(await platform.exited).toBe(0);
    expect(platform.output()).toContain('platform stopped');
  });

  it('serves the four services’ Prometheus metrics when METRICS_PORT is set', async () => {
    const port = await freePort();
    platform = spawnPlatform({ DATA_DIR: dataDir, STRIPE_EMULATOR_PORT: '0', PASSWORD_SCRYPT_COST: '1024', METRICS_PORT: String(port) });
    await platform.waitFor(/platform ready/);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const service of ['user', 'project', 'payment', 'messaging']) expect(text).toContain(`shimeji_workers_in_flight{service="${service}"}`);
    // Every metric the Grafana dashboard of docker-compose plots is one the platform serves.
    const web = /^\s+web\s+(http:\/\/\S+) for/m.exec(platform.output())?.[1];
    const served = `${text}${await (await fetch(`${web}/metrics`)).text()}`;
    const dashboard = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docker/grafana/dashboards/platform.json'), 'utf8');
    const plotted = new Set([...dashboard.matchAll(/\b((?:shimeji|http|process|nodejs)_[a-z0-9_]+?)(?:_bucket|_count|_sum)?\b(?=[{[)])/g)].map((m) => m[1]!));
    expect(plotted.size).toBeGreaterThanOrEqual(10);
    expect([...plotted].filter((name) => !served.includes(`# TYPE ${name} `))).toEqual([]);
    platform.child.kill('SIGTERM');
    expect(await platform.exited).toBe(0);
  });
});

