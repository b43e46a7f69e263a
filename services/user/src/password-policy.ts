// How passwords are hashed: scrypt at OWASP's minimum (Password Storage Cheat Sheet: N=2^17, r=8,
// p=1) unless an operator asks for more. Tests and laptops may lower N to run fast; production
// may not, or a leaked table is cheap to crack.

export const SCRYPT_BLOCK_SIZE = 8;
export const SCRYPT_PARALLELISM = 1;
/** OWASP's minimum N, and the default. */
export const PRODUCTION_SCRYPT_COST = 131_072;
/** The lowest N at all, for test suites. */
export const LOWEST_SCRYPT_COST = 1024;

/** The parameters a stored hash was made with. */
export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

/** What is wrong with `cost` as PASSWORD_SCRYPT_COST, or undefined when it is fine. */
export function scryptCostProblem(cost: number, production: boolean): string | undefined {
  if (!Number.isInteger(cost) || !Number.isInteger(Math.log2(cost)) || cost < LOWEST_SCRYPT_COST) {
    return `PASSWORD_SCRYPT_COST is ${String(cost)}: expected a power of two of at least ${LOWEST_SCRYPT_COST}, such as ${PRODUCTION_SCRYPT_COST}`;
  }
  if (production && cost < PRODUCTION_SCRYPT_COST) {
    return `PASSWORD_SCRYPT_COST is ${cost}: under NODE_ENV=production expected at least ${PRODUCTION_SCRYPT_COST} (OWASP's minimum for scrypt)`;
  }
  return undefined;
}

/** A hash made with weaker parameters than today's is rehashed at the next successful login. */
export function isWeakerThan(made: ScryptParameters, cost: number): boolean {
  return made.N < cost || made.r < SCRYPT_BLOCK_SIZE || made.p < SCRYPT_PARALLELISM;
}
