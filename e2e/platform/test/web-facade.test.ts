// The customers' facade over HTTP (inject) against the real user and project services on the
// real broker and PostgreSQL: accounts, projects, members, orders, and one customer probing
// another's project.
import { randomUUID } from 'node:crypto';
import { testDatabaseUrl } from '@platform/db/testing';
import { ProjectService } from '@platform/project-service';
import { accessConfig, rpcClientFactory, runnerFactory, testBrokerUri } from '@platform/shimeji/testing';
import { testAccessTokens } from '@platform/http/testing';
import { UserService } from '@platform/user-service';
import { buildWebApp, remoteErrors } from '@platform/web';

describe('the web facade on the real services', () => {
  const uri = testBrokerUri();
  const runners = runnerFactory();
  const clients = rpcClientFactory({ uri, timeoutMs: 30_000, errors: remoteErrors });

  it('lets a customer register, log in, keep projects and orders, and keeps others out', async () => {
    const runner = runners(
      {
        ...accessConfig(),
        AMQP_URI: uri,
        USER_DATABASE_URL: testDatabaseUrl('web_user'),
        PROJECT_DATABASE_URL: testDatabaseUrl('web_project'),
        PASSWORD_SCRYPT_COST: 1024,
      },
      UserService,
      ProjectService,
    );
    await runner.start();
    const app = await buildWebApp({ rpcClient: await clients(), jwtSecret: 'e2e-secret-e2e-secret-e2e-secret', logger: false, accessTokens: await testAccessTokens() });
    try {
      expect((await app.inject({ url: '/ready' })).statusCode).toBe(200);
      const signUp = async (name: string) => {
        const email = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`;
        const registered = await app.inject({ method: 'POST', url: '/register', payload: { email, name, password: 'correct horse' } });
        expect(registered.statusCode).toBe(201);
        const login = await app.inject({ method: 'POST', url: '/login', payload: { email, password: 'correct horse' } });
        expect(login.statusCode).toBe(200);
        return { email, headers: { authorization: `Bearer ${login.json().token as string}` } };
      };
      const ann = await signUp('Ann');
      const bob = await signUp('Bob');

      const wrong = await app.inject({ method: 'POST', url: '/login', payload: { email: ann.email, password: 'wrong horse' } });
      expect(wrong.statusCode).toBe(401);
      expect((await app.inject({ url: '/me', headers: ann.headers })).json().email).toBe(ann.email);

      const created = await app.inject({ method: 'POST', url: '/projects', headers: ann.headers, payload: { name: 'Garden' } });
      expect(created.statusCode).toBe(201);
      const projectId = created.json().id as string;

      // Bob is not a member: the project does not exist for him, and he cannot order on it
      expect((await app.inject({ url: `/projects/${projectId}`, headers: bob.headers })).statusCode).toBe(404);
      const probe = await app.inject({
        method: 'POST',
        url: `/projects/${projectId}/orders`,
        headers: bob.headers,
        payload: { description: 'Seeds', amount: 1500, currency: 'EUR' },
      });
      expect(probe.statusCode).toBe(404);
      expect((await app.inject({ url: `/projects/${projectId}/orders`, headers: ann.headers })).json()).toEqual([]);

      const placed = await app.inject({
        method: 'POST',
        url: `/projects/${projectId}/orders`,
        headers: ann.headers,
        payload: { description: 'Seeds', amount: 1500, currency: 'EUR' },
      });
      expect(placed.statusCode).toBe(201);
      expect(placed.json()).toMatchObject({ project_id: projectId, status: 'awaiting_payment', amount: 1500 });

      const added = await app.inject({ method: 'POST', url: `/projects/${projectId}/members`, headers: ann.headers, payload: { email: bob.email } });
      expect(added.statusCode).toBe(201);
      const seen = await app.inject({ url: `/projects/${projectId}/orders`, headers: bob.headers });
      expect(seen.statusCode).toBe(200);
      expect(seen.json()).toHaveLength(1);
      expect((await app.inject({ url: '/projects', headers: bob.headers })).json().map((p: { id: string }) => p.id)).toEqual([projectId]);
    } finally {
      await app.close();
    }
  });
});
