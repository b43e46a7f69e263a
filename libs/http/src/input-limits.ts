// Limits on the shape of what a client sends, checked before validation, the NUL scan or any RPC:
// input nested thousands deep, or holding huge arrays or strings, is refused in time linear in its
// size, so no body can hold the event loop or overflow a recursive walk further on.
import type { FastifyInstance } from 'fastify';
import { ValidationFailed } from './http-errors';

export interface InputLimits {
  /** Deepest nesting of objects and arrays (default 32). */
  depth: number;
  /** Most items in one array (default 1 000). */
  arrayLength: number;
  /** Longest string, keys included, in characters (default 10 000). */
  stringLength: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = { depth: 32, arrayLength: 1_000, stringLength: 10_000 };

interface Place {
  readonly value: unknown;
  readonly key: string | null;
  readonly parent: Place | null;
  readonly depth: number;
}

function pathOf(place: Place, root: string): string {
  const keys: string[] = [];
  for (let at: Place | null = place; at?.key != null; at = at.parent) keys.push(at.key);
  return keys.length > 0 ? keys.reverse().join('.') : root;
}

/** The first limit `value` goes past, naming the field (`root` for the value itself), or none. */
export function pastLimit(value: unknown, limits: InputLimits, root: string): { field: string; message: string } | undefined {
  const pending: Place[] = [{ value, key: null, parent: null, depth: 0 }];
  while (pending.length > 0) {
    const place = pending.pop()!;
    const { value: here } = place;
    if (typeof here === 'string') {
      if (here.length > limits.stringLength) return { field: pathOf(place, root), message: `longer than ${limits.stringLength} characters, the limit` };
      continue;
    }
    if (here === null || typeof here !== 'object') continue;
    if (place.depth >= limits.depth) return { field: root, message: `nested deeper than ${limits.depth} levels, the limit` };
    if (Array.isArray(here) && here.length > limits.arrayLength) {
      return { field: pathOf(place, root), message: `more than ${limits.arrayLength} items, the limit` };
    }
    for (const [key, item] of Object.entries(here)) {
      if (key.length > limits.stringLength) return { field: root, message: `holds a key longer than ${limits.stringLength} characters, the limit` };
      pending.push({ value: item, key, parent: place, depth: place.depth + 1 });
    }
  }
  return undefined;
}

const PARTS = ['params', 'querystring', 'body'] as const;

export function installInputLimits(app: FastifyInstance, limits: Partial<InputLimits> = {}): void {
  const effective = { ...DEFAULT_INPUT_LIMITS, ...limits };
  for (const [name, limit] of Object.entries(effective)) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`input limit ${name} must be a whole number of at least 1, got ${String(limit)}`);
  }
  app.addHook('preValidation', async (request) => {
    const values = { params: request.params, querystring: request.query, body: request.body };
    for (const part of PARTS) {
      const past = pastLimit(values[part], effective, part);
      if (past) throw new ValidationFailed(`invalid ${part}: ${past.field}: ${past.message}`, [past]);
    }
  });
}
