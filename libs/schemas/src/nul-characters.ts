// PostgreSQL cannot store U+0000 in text: a NUL that got past validation would fail the worker
// after its side effects (a Stripe call, an email) instead of being refused up front. So every
// string in a call's arguments, keys included, is checked before any schema runs.

export const NUL_MESSAGE = 'must not contain NUL characters (\\u0000)';

/** The dotted paths of the strings in `value` that hold a NUL character (`name`, `items.2.note`). */
export function fieldsWithNul(value: unknown, path: readonly string[] = []): string[] {
  const here = path.length > 0 ? path.join('.') : '(arguments)';
  if (typeof value === 'string') return value.includes('\u0000') ? [here] : [];
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) found.push([...path, JSON.stringify(key)].join('.'));
    else found.push(...fieldsWithNul(item, [...path, key]));
  }
  return found;
}
