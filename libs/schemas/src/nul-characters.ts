// PostgreSQL cannot store U+0000 in text: a NUL that got past validation would fail the worker
// after its side effects (a Stripe call, an email) instead of being refused up front. So every
// string in a call's arguments, keys included, is checked before any schema runs.
//
// The walk is iterative and linear in the size of the value: input nested thousands deep must
// neither overflow the stack nor cost more than input of the same size laid flat.

export const NUL_MESSAGE = 'must not contain NUL characters (\\u0000)';

const NUL = '\u0000';

interface Place {
  readonly value: unknown;
  readonly key: string | null;
  readonly parent: Place | null;
}

/** The dotted path of a place, built only for the few places reported. */
function pathOf(place: Place, last?: string): string {
  const keys: string[] = last === undefined ? [] : [last];
  for (let at: Place | null = place; at?.key != null; at = at.parent) keys.push(at.key);
  return keys.length > 0 ? keys.reverse().join('.') : '(arguments)';
}

/** The dotted paths of the strings in `value` that hold a NUL character (`name`, `items.2.note`). */
export function fieldsWithNul(value: unknown): string[] {
  const found: string[] = [];
  const pending: Place[] = [{ value, key: null, parent: null }];
  while (pending.length > 0) {
    const place = pending.pop()!;
    if (typeof place.value === 'string') {
      if (place.value.includes(NUL)) found.push(pathOf(place));
      continue;
    }
    if (place.value === null || typeof place.value !== 'object') continue;
    const entries = Object.entries(place.value);
    // Pushed last first, so that places are reported in the order they appear.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      if (key.includes(NUL)) found.push(pathOf(place, JSON.stringify(key)));
      else pending.push({ value: item, key, parent: place });
    }
  }
  return found;
}
