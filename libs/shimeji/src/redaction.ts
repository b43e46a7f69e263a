// Secrets kept out of what we print: `shimeji show-config`, log lines, banners, error messages.
// Two rules, because neither alone is enough: a value is secret by its setting's name (SMTP_PASSWORD,
// JWT_SECRET, STRIPE_API_KEY, …), and a value is secret by its shape wherever it appears (the
// password in `amqp://user:password@host`, a PEM private key, a JWT) — a URI's password sits in
// AMQP_URI, whose name says nothing. What an operator needs to tell one setup from another stays:
// the URI without its password, whether a secret is set at all, the path of a key file.

/** What a secret is replaced with. */
export const REDACTED = '***';

/** Words that make a setting secret wherever they stand in its name (`INITIAL_ADMIN_PASSWORD`). */
const SECRET_WORDS = new Set(['PASSWORD', 'PASSWD', 'PWD', 'PASS', 'PASSPHRASE', 'SECRET', 'SECRETS', 'TOKEN', 'TOKENS', 'KEY', 'KEYS', 'APIKEY', 'PRIVATE', 'CREDENTIAL', 'CREDENTIALS', 'COOKIE']);
/** Substrings that do the same inside a word (`DBPASSWORD`, `clientSecret` is split already). */
const SECRET_PARTS = ['PASSWORD', 'SECRET', 'PRIVATE'];
/**
 * Last words that make a name about a secret but not the secret itself: ACCESS_TOKEN_TTL and
 * PASSWORD_SCRYPT_COST are settings an operator needs to see.
 */
const NOT_SECRET_LAST_WORDS = new Set([
  'TTL', 'COST', 'TIMEOUT', 'MS', 'SECONDS', 'LENGTH', 'SIZE', 'ALGORITHM', 'ALG', 'ID', 'KID', 'ISSUER', 'AUDIENCE', 'AUDIENCES',
  'LIFETIME', 'EXPIRY', 'HEADER', 'FIELD', 'NAME', 'ROTATION', 'LIMIT',
]);

/** `clientSecret`, `client-secret` and `CLIENT_SECRET` alike: the words of a setting's name, upper case. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
}

/** Whether a setting of this name holds a secret (`SMTP_PASSWORD`, `WEB_JWT_SECRET`, `stripeKey`). */
export function isSecretName(name: string): boolean {
  const words = wordsOf(name);
  if (words.length === 0 || words.includes('PUBLIC')) return false;
  if (NOT_SECRET_LAST_WORDS.has(words.at(-1) ?? '')) return false;
  return words.some((word) => SECRET_WORDS.has(word) || SECRET_PARTS.some((part) => word.includes(part)));
}

// scheme://user:password@ — the password runs to the last @ before the path (an unescaped @ in
// it must not leave its tail behind) and never across whitespace.
const URI_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*):([^\s/]*)@/gi;
// Every PEM private key (PKCS#8, RSA, EC, OpenSSH, encrypted); an unterminated one to the end.
const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----[\s\S]*?(?:-----END \1-----|$)/g;
// A JWT/JWS: base64url header starting `{"`, payload, signature.
const JWT = /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g;

/** `text` with every secret of a recognisable shape replaced: URI passwords, PEM private keys, JWTs. */
export function redactText(text: string): string {
  return text
    .replace(PEM_PRIVATE_KEY, (_block, label: string) => `-----BEGIN ${label}-----${REDACTED}-----END ${label}-----`)
    .replace(URI_PASSWORD, (_match, head: string) => `${head}:${REDACTED}@`)
    .replace(JWT, REDACTED);
}

/** One URI with its password replaced (`amqp://guest:***@host:5672/`); anything else unchanged. */
export function redactUri(uri: string): string {
  try {
    const url = new URL(uri);
    if (url.password) url.password = REDACTED;
    return url.toString();
  } catch {
    return redactText(uri);
  }
}

// A key setting may name its file rather than hold the key: the path is what an operator checks.
const KEY_FILE_PATHS = /^[^\s,]+\.(pem|key|der|p8)(\s*,\s*[^\s,]+\.(pem|key|der|p8))*$/i;

function redactSecret(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return value; // "not set" is worth seeing
  if (typeof value === 'string') return KEY_FILE_PATHS.test(value.trim()) ? value : REDACTED;
  if (typeof value === 'number' || typeof value === 'bigint') return REDACTED;
  if (Array.isArray(value)) return value.map(redactSecret);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redactSecret(inner)]));
  return value;
}

/** A setting's value as it may be shown: all of it hidden for a secret name, else its secret shapes. */
export function redactValue(name: string, value: unknown): unknown {
  if (isSecretName(name)) return redactSecret(value);
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((inner) => redactValue(name, inner));
  if (value !== null && typeof value === 'object') return redactConfig(value as Record<string, unknown>);
  return value;
}

/** A copy of a config (or any record: a log line's fields) fit to print; nested records alike. */
export function redactConfig<T extends Record<string, unknown>>(config: T): Record<keyof T, unknown> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, redactValue(key, value)])) as Record<keyof T, unknown>;
}
