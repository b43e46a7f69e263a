// Passwords are stored as salted scrypt hashes: `scrypt$N$r$p$salt$hash` (base64). The parameters
// travel with each hash, so raising the cost never locks anyone out: old hashes still verify, and
// are upgraded at their owner's next login (password-policy.ts).
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { DependencyProvider, type ServiceConfig } from '@platform/shimeji';
import { isWeakerThan, PRODUCTION_SCRYPT_COST, SCRYPT_BLOCK_SIZE, SCRYPT_PARALLELISM, type ScryptParameters, scryptCostProblem } from '../password-policy';

const KEY_LENGTH = 64;

function derive(password: string, salt: Buffer, { N, r, p }: ScryptParameters): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

function parse(stored: string): (ScryptParameters & { salt: Buffer; hash: Buffer }) | undefined {
  const [scheme, N, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return undefined;
  return { N: Number(N), r: Number(r), p: Number(p), salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

export class PasswordHasher {
  // Made at the first unknown email, not at start: at OWASP's cost a hash takes 128 MB for a moment.
  private dummy?: Promise<string>;

  constructor(private readonly cost = PRODUCTION_SCRYPT_COST) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, { N: this.cost, r: SCRYPT_BLOCK_SIZE, p: SCRYPT_PARALLELISM });
    return ['scrypt', this.cost, SCRYPT_BLOCK_SIZE, SCRYPT_PARALLELISM, salt.toString('base64'), key.toString('base64')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parse(stored);
    if (!parsed) return false;
    const actual = await derive(password, parsed.salt, parsed);
    return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash);
  }

  /** True when `stored` was made with weaker parameters than this hasher's: rehash it after a good login. */
  needsUpgrade(stored: string): boolean {
    const parsed = parse(stored);
    return !parsed || isWeakerThan(parsed, this.cost);
  }

  /** Spends the time a real check would, for an unknown email: timing tells nothing. */
  async verifyNothing(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(16).toString('hex'));
    await this.verify(password, await this.dummy);
    return false;
  }
}

/** The hasher `config` asks for (PASSWORD_SCRYPT_COST), refused with the setting named when too weak. */
export function passwordHasherFrom(config: ServiceConfig): PasswordHasher {
  const cost = Number(config.PASSWORD_SCRYPT_COST ?? PRODUCTION_SCRYPT_COST);
  const problem = scryptCostProblem(cost, process.env.NODE_ENV === 'production');
  if (problem) throw new Error(problem);
  return new PasswordHasher(cost);
}

/** `passwords = inject(new Passwords())`. */
export class Passwords extends DependencyProvider<PasswordHasher> {
  private hasher!: PasswordHasher;

  override async setup(): Promise<void> {
    this.hasher = passwordHasherFrom(this.container.config);
  }

  getDependency(): PasswordHasher {
    return this.hasher;
  }
}
