// docker-compose.yml runs what npm start runs: each service with `shimeji run <its module>
// --config apps/platform/config.yaml`, and only environment variables that config file (or
// shimeji itself) reads, pointing at the compose file's own RabbitMQ, PostgreSQL, Mailpit and
// Stripe emulator; each facade with its own program, the same config file, on its own port.
// No Docker engine runs here; `docker-compose config` validates the syntax.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { FACADES, SERVICES } from '../src/platform';

const root = path.resolve(__dirname, '..', '..', '..');
const compose = YAML.parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  container_name?: string;
  healthcheck?: { test?: string[] };
}
const hostPorts = YAML.parse(fs.readFileSync(path.join(root, 'docker-compose.host-ports.yml'), 'utf8')) as { services: Record<string, { ports: string[] }> };
const configText = fs.readFileSync(path.join(root, 'apps/platform/config.yaml'), 'utf8');
const configVars = new Set([...configText.matchAll(/\$\{([A-Z0-9_]+)[:}]/g)].map((m) => m[1]!));

const composeCli = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;

describe('docker-compose.yml', () => {
  // Validating needs no engine: docker-compose parses, merges and checks the file against its schema.
  (composeCli ? it : it.skip)('is a valid compose file (docker-compose config)', () => {
    const check = spawnSync('docker-compose', ['-f', path.join(root, 'docker-compose.yml'), 'config', '--quiet'], { encoding: 'utf8' });
    expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' });
    // and with the opt-in host ports on top
    const withPorts = spawnSync('docker-compose', ['-f', path.join(root, 'docker-compose.yml'), '-f', path.join(root, 'docker-compose.host-ports.yml'), 'config', '--quiet'], { encoding: 'utf8' });
    expect({ status: withPorts.status, stderr: withPorts.stderr }).toEqual({ status: 0, stderr: '' });
  });
  if (!composeCli) console.warn('docker-compose is not installed: the compose file is not validated (apt-get install docker-compose; .ci/run does)');

  it('has a health check for every service, and every image tagged', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect([name, service.healthcheck?.test?.[0]]).toEqual([name, 'CMD']);
      // a tag of its own, never an implicit or explicit latest
      expect([name, service.image]).toEqual([name, expect.stringMatching(/^[a-z0-9./-]+:[A-Za-z0-9][\w.-]*$/)]);
      expect(service.image).not.toMatch(/:latest$/);
    }
  });

  it('builds the platform image once, and starts every process of it after that build', () => {
    const builders = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);
    expect(builders.map(([name]) => name)).toEqual(['stripe']);
    const image = compose.services.stripe!.image!;
    const platform = Object.entries(compose.services).filter(([, service]) => service.image === image);
    expect(platform.map(([name]) => name).sort()).toEqual(['stripe', ...SERVICES, ...FACADES.map((f) => f.name)].sort());
    for (const [name, service] of platform) if (name !== 'stripe') expect([name, service.depends_on?.stripe]).toEqual([name, expect.anything()]);
  });

  it('binds no infrastructure port on the host unless asked, then on 127.0.0.1 and ports that do not clash', () => {
    const published = (service: ComposeService) => (service.ports ?? []).map((p) => String(p).split(':').at(-1));
    expect(published(compose.services.rabbitmq!)).toEqual(['15672']);
    expect(compose.services.postgres!.ports).toBeUndefined();
    expect(compose.services.stripe!.ports).toBeUndefined();
    expect(compose.services.mailpit!.ports).toEqual(['8025:8025']);
    expect(hostPorts.services).toEqual({
      rabbitmq: { ports: ['127.0.0.1:55672:5672'] },
      postgres: { ports: ['127.0.0.1:55432:5432'] },
      mailpit: { ports: ['127.0.0.1:51025:1025'] },
      stripe: { ports: ['127.0.0.1:52111:12111'] },
    });
  });

  it('has the infrastructure with health checks', () => {
    for (const name of ['rabbitmq', 'postgres', 'mailpit', 'stripe']) expect(compose.services[name]?.healthcheck).toBeDefined();
    expect(compose.services.stripe!.command![0]).toBe('stripe-emulator');
    const init = fs.readFileSync(path.join(root, 'docker/postgres-init.sql'), 'utf8');
    for (const service of SERVICES) expect(init).toMatch(new RegExp(`CREATE DATABASE "?${service}"?;`));
  });

  it.each(SERVICES)('runs %s as npm start does, scalable, with only the config it reads', (service) => {
    const definition = compose.services[service]!;
    const module = `services/${service}/src/service.ts`;
    expect(fs.existsSync(path.join(root, module))).toBe(true);
    expect(definition.command).toEqual(['shimeji', 'run', module, '--config', 'apps/platform/config.yaml']);
    expect(definition.ports).toBeUndefined();
    expect(definition.container_name).toBeUndefined();
    expect(definition.depends_on).toMatchObject({ rabbitmq: { condition: 'service_healthy' }, postgres: { condition: 'service_healthy' } });
    expect(JSON.stringify(definition.healthcheck)).toContain('http://127.0.0.1:9100/ready');

    const env = definition.environment!;
    // NODE_ENV is the process's, not the config's: it tells the platform this is not production.
    // OTEL_* are the process's too: OpenTelemetry reads them, as it does in any program.
    for (const key of Object.keys(env).filter((k) => k !== 'NODE_ENV' && !k.startsWith('OTEL_'))) expect(configVars).toContain(key);
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://jaeger:4318');
    // A service checks users' tokens and signs only its own: it never holds the facades' key.
    expect(env.ACCESS_USER_SIGNING_KEY).toBeUndefined();
    expect(env.ACCESS_SERVICE_SIGNING_KEY).toBe('docker/development-keys/services.key.pem');
    expect(env.AMQP_URI).toBe('amqp://guest:guest@rabbitmq:5672/');
    expect(env[`${service.toUpperCase()}_DATABASE_URL`]).toBe(`postgres://postgres@postgres:5432/${service}`);
    // a service is given no other service's database
    const others = Object.keys(env).filter((k) => k.endsWith('_DATABASE_URL') && k !== `${service.toUpperCase()}_DATABASE_URL`);
    expect(others).toEqual([]);
  });

  it('points payment at the Stripe emulator and messaging at Mailpit', () => {
    const stripePort = compose.services.stripe!.command![compose.services.stripe!.command!.indexOf('--port') + 1];
    expect(compose.services.payment!.environment!.STRIPE_API_BASE).toBe(`http://stripe:${stripePort}`);
    expect(compose.services.payment!.depends_on!.stripe).toEqual({ condition: 'service_healthy' });
    expect(compose.services.messaging!.environment).toMatchObject({ SMTP_HOST: 'mailpit', SMTP_PORT: '1025' });
    expect(compose.services.messaging!.depends_on!.mailpit).toEqual({ condition: 'service_healthy' });
  });

  it.each(FACADES)('runs the $name facade as npm start does, on its port, ready when connected', ({ name, port, portVar }) => {
    const definition = compose.services[name]!;
    const program = `apps/${name}/src/main.ts`;
    expect(fs.existsSync(path.join(root, program))).toBe(true);
    expect(definition.command).toEqual(['tsx', program, '--config', 'apps/platform/config.yaml']);
    expect(definition.environment).toEqual({
      AMQP_URI: 'amqp://guest:guest@rabbitmq:5672/',
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
      // The facades sign their callers' tokens with the development key.
      ACCESS_USER_SIGNING_KEY: 'docker/development-keys/users.key.pem',
      ACCESS_USER_PUBLIC_KEYS: 'docker/development-keys/users.pub.pem',
      ACCESS_SERVICE_PUBLIC_KEYS: 'docker/development-keys/services.pub.pem',
      // Their traces go to Jaeger, as the services' do.
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      [`${name.toUpperCase()}_HOST`]: '0.0.0.0',
      [portVar]: String(port),
    });
    expect(definition.ports).toEqual([`${port}:${port}`]);
    expect(JSON.stringify(definition.healthcheck)).toContain(`http://127.0.0.1:${port}/ready`);
    expect(definition.depends_on).toMatchObject({ rabbitmq: { condition: 'service_healthy' } });
  });

  it('has Prometheus scrape every replica of every service and every facade, and Grafana show its dashboard', () => {
    const prometheus = compose.services.prometheus as { volumes?: string[]; ports?: string[] };
    expect(prometheus.ports).toEqual(['9090:9090']);
    expect(prometheus.volumes).toContain('./docker/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    const scrape = YAML.parse(fs.readFileSync(path.join(root, 'docker/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; dns_sd_configs?: { names: string[]; type: string; port: number }[]; static_configs?: { targets: string[] }[] }[];
    };
    const jobs = Object.fromEntries(scrape.scrape_configs.map((job) => [job.job_name, job]));
    // By DNS, so that `--scale payment=3` is scraped three times; on the port each service serves metrics on.
    expect(jobs.services!.dns_sd_configs).toEqual([expect.objectContaining({ names: [...SERVICES], type: 'A' })]);
    for (const service of SERVICES) expect(String(jobs.services!.dns_sd_configs![0]!.port)).toBe(compose.services[service]!.environment!.METRICS_PORT);
    expect(jobs.facades!.static_configs!.flatMap((c) => c.targets)).toEqual(FACADES.map(({ name, port }) => `${name}:${port}`));

    const grafana = compose.services.grafana as { volumes?: string[]; ports?: string[] };
    expect(grafana.ports).toEqual(['3000:3000']);
    expect(grafana.volumes).toEqual(['./docker/grafana/provisioning:/etc/grafana/provisioning:ro', './docker/grafana/dashboards:/var/lib/grafana/dashboards:ro']);
    const source = YAML.parse(fs.readFileSync(path.join(root, 'docker/grafana/provisioning/datasources/prometheus.yml'), 'utf8')).datasources[0];
    expect(source).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
    const dashboard = JSON.parse(fs.readFileSync(path.join(root, 'docker/grafana/dashboards/platform.json'), 'utf8'));
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(10);
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid).toBe(source.uid);
      for (const target of panel.targets) expect(target.datasource.uid).toBe(source.uid);
    }
  });

  it('config.yaml names every key the services read from their config', () => {
    const read = new Set<string>();
    for (const service of SERVICES) {
      const files = fs.readdirSync(path.join(root, 'services', service, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
      for (const file of files) {
        const text = fs.readFileSync(path.join(root, 'services', service, 'src', file), 'utf8');
        for (const m of text.matchAll(/config\.([A-Z][A-Z0-9_]+)/g)) read.add(m[1]!);
      }
      read.add(`${service.toUpperCase()}_DATABASE_URL`);
    }
    for (const key of read) expect(configVars).toContain(key);
  });
});
