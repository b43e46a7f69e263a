// Stripe's request encoding: `application/x-www-form-urlencoded` with brackets for nesting,
// `metadata[order_id]=…`, `payment_method_types[0]=card`, `expand[]=…`, read back into objects
// and arrays. Query strings of GET requests use the same form.

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type Params = Record<string, FormValue>;

/** Keys that would reach an object's prototype: never assigned. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

const decode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));

/** `a[b][0]` → `['a', 'b', '0']`; `a[]` → `['a', '']` (append). */
function pathOf(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const path = [key.slice(0, open)];
  for (const match of key.slice(open).matchAll(/\[([^\]]*)\]/g)) path.push(match[1]!);
  return path;
}

type Node = { [key: string]: Node | string };

function assign(root: Node, path: string[], value: string): void {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    let segment = path[i]!;
    if (FORBIDDEN.has(segment)) return;
    if (segment === '') segment = String(Object.keys(node).length);
    if (i === path.length - 1) {
      node[segment] = value;
      return;
    }
    const next = node[segment];
    node = typeof next === 'object' ? next : (node[segment] = {});
  }
}

/** Objects whose keys are 0, 1, 2, … become arrays. */
function withArrays(value: Node | string): FormValue {
  if (typeof value === 'string') return value;
  const keys = Object.keys(value);
  const converted = Object.fromEntries(keys.map((k) => [k, withArrays(value[k]!)]));
  const indices = keys.map(Number).sort((a, b) => a - b);
  if (keys.length > 0 && indices.every((n, i) => n === i)) return indices.map((i) => converted[String(i)]!);
  return converted;
}

export function parseForm(text: string): Params {
  const root: Node = {};
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
    if (key) assign(root, pathOf(key), value);
  }
  return withArrays(root) as Params;
}

/** The same parameters in any order give the same text: what idempotency compares. */
export function fingerprint(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(fingerprint).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${fingerprint((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
