// Passwords are stored as salted scrypt hashes: `scrypt$N$r$p$salt$hash` (base64). A slow hash
// by design; the cost can be lowered in config for tests (PASSWORD_SCRYPT_COST), never to zero.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { DependencyProvider } from '@platform/shimeji';

const KEY_LENGTH = 64;

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export class PasswordHasher {
  private readonly dummy: Promise<string>;

  constructor(private readonly cost = 16_384) {
    this.dummy = this.hash(randomBytes(16).toString('hex'));
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, this.cost, 8, 1);
    return ['scrypt', this.cost, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, N, r, p, salt, hash] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !hash) return false;
    const expected = Buffer.from(hash, 'base64');
    const actual = await derive(password, Buffer.from(salt, 'base64'), Number(N), Number(r), Number(p));
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** Spends the time a real check would, for an unknown email: timing tells nothing. */
  async verifyNothing(password: string): Promise<false> {
    await this.verify(password, await this.dummy);
    return false;
  }
}

/** `passwords = inject(new Passwords())`. */
export class Passwords extends DependencyProvider<PasswordHasher> {
  private hasher!: PasswordHasher;

  override async setup(): Promise<void> {
    const cost = Number(this.container.config.PASSWORD_SCRYPT_COST ?? 16_384);
    if (!Number.isInteger(Math.log2(cost)) || cost < 1024) throw new Error('PASSWORD_SCRYPT_COST must be a power of two of at least 1024');
    this.hasher = new PasswordHasher(cost);
  }

  getDependency(): PasswordHasher {
    return this.hasher;
  }
}
