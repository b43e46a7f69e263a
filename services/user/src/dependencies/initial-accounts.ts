// The local platform's first admin and support accounts, from config, created on start when
// absent: INITIAL_ADMIN_EMAIL / _PASSWORD / _NAME and INITIAL_SUPPORT_EMAIL / _PASSWORD / _NAME.
import { randomUUID } from 'node:crypto';
import { Database } from '@platform/db';
import { DependencyProvider } from '@platform/shimeji';
import type { Role } from '../states';
import { passwordHasherFrom } from './passwords';

/** `initialAccounts = inject(new InitialAccounts(this.db))`, declared after the Database. */
export class InitialAccounts extends DependencyProvider<void> {
  private readonly database: Database<any>;

  constructor(db: unknown) {
    super();
    this.database = Database.of(db, 'InitialAccounts');
  }

  override async start(): Promise<void> {
    const { config, logger } = this.container;
    const { database } = this;
    const hasher = passwordHasherFrom(config);
    for (const role of ['admin', 'support'] as Role[]) {
      const prefix = `INITIAL_${role.toUpperCase()}`;
      const email = config[`${prefix}_EMAIL`];
      const password = config[`${prefix}_PASSWORD`];
      if (!email || !password) continue;
      const address = String(email).trim().toLowerCase();
      // A slow hash (by design) only when the account is missing: not on every start.
      if (await database.knex('users').where({ email: address }).first('id')) continue;
      const inserted = await database.knex('users')
        .insert({
          id: randomUUID(),
          email: address,
          name: String(config[`${prefix}_NAME`] ?? `Initial ${role}`),
          role,
          status: 'active',
          password_hash: await hasher.hash(String(password)),
          version: 1,
        })
        .onConflict('email')
        .ignore()
        .returning('id');
      if (inserted.length > 0) logger.info({ role, email }, `initial ${role} account created`);
    }
  }

  getDependency(): void {}
}
