// One HTTP request's log lines, the facade's and the services', found by its request id alone:
// the web facade and the user service on the run's RabbitMQ and PostgreSQL, each logging at
// info into a stream the test reads. (The shared harness logs nothing, so this file starts its own.)
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { testDatabaseUrl } from '@platform/db/testing';
import { ServiceRunner } from '@platform/shimeji';
import { accessConfig, rpcClientFactory, testBrokerUri } from '@platform/shimeji/testing';
import { testAccessTokens } from '@platform/http/testing';
import { UserService } from '@platform/user-service';
import { buildWebApp, remoteErrors } from '@platform/web';
import pino from 'pino';

type Line = Record<string, unknown> & { level: number };

function capture() {
  const text: string[] = [];
  const stream = new Writable({ write: (chunk, _e, done) => (text.push(...String(chunk).split('\n').filter(Boolean)), done()) });
  return { stream, text };
}

describe('the logs of one request', () => {
  const uri = testBrokerUri();
  const clients = rpcClientFactory({ uri, timeoutMs: 30_000, errors: remoteErrors });

  it('are found by grepping its request id: the facade’s lines and the service’s', async () => {
    const logs = capture();
    const runner = new ServiceRunner(
      { ...accessConfig(), AMQP_URI: uri, USER_DATABASE_URL: testDatabaseUrl('logs_user'), PASSWORD_SCRYPT_COST: 1024 },
      { logger: pino({ level: 'info' }, logs.stream) },
    );
    runner.addService(UserService);
    const app = await buildWebApp({
      rpcClient: await clients(),
      jwtSecret: 'e2e-secret-e2e-secret-e2e-secret',
      accessTokens: await testAccessTokens(),
      logger: { level: 'info', stream: logs.stream },
    });
    const requestId = `logs-${randomUUID()}`;
    try {
      await runner.start();
      const login = await app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'x-request-id': requestId },
        payload: { email: `nobody-${randomUUID().slice(0, 8)}@example.com`, password: 'correct horse' },
      });
      expect(login.statusCode).toBe(401);
    } finally {
      await app.close();
      // Stopping waits for the workers in flight, whose line comes after their reply.
      await runner.stop();
    }

    // As `grep <request id>` over the logs would.
    const found = logs.text.filter((line) => line.includes(requestId)).map((line) => JSON.parse(line) as Line);
    const facade = found.filter((line) => line.name === 'web');
    const services = found.filter((line) => line.service !== undefined);
    expect(facade.length).toBeGreaterThan(0);
    expect(facade.every((line) => line.reqId === requestId)).toBe(true);
    expect(services).toEqual([
      expect.objectContaining({
        level: 40,
        service: 'user',
        entrypoint: 'authenticate',
        outcome: 'expected_error',
        reqId: requestId,
        callIdStack: [`web.http.${requestId}`, expect.stringMatching(/^user\.authenticate\./)],
      }),
    ]);
  });
});
