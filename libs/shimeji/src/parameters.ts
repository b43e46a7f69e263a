// How Nameko's `{args, kwargs}` map onto a TypeScript method.
//
// Positional `args` fill the parameters in order. Each `kwargs` key names a parameter, either
// exactly (`orderId`) or in snake_case (`order_id`, as a Python caller writes it). A parameter
// with a default value may be left out; every other one must be given. Names are read from the
// method's own source; a destructured parameter has no name and can only be given by position.
import { IncorrectSignature } from './exceptions';

export interface Parameter {
  name: string | null;
  optional: boolean;
  rest: boolean;
}

export function readParameters(fn: (...args: any[]) => unknown): Parameter[] {
  const source = Function.prototype.toString.call(fn);
  const open = source.indexOf('(');
  if (open < 0) return [];
  let depth = 0;
  let close = -1;
  for (let i = open; i < source.length; i++) {
    const ch = source[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    }
  }
  return splitTopLevel(source.slice(open + 1, close))
    .map((part) => part.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const rest = part.startsWith('...');
      const body = rest ? part.slice(3).trim() : part;
      const optional = rest || /^[^=]*=/.test(body);
      const match = /^([A-Za-z_$][\w$]*)/.exec(body);
      return { name: match ? match[1]! : null, optional, rest };
    });
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

const snakeToCamel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The common case, checked without allocating: positional arguments only, each required one given. */
function isPositionalFit(params: readonly Parameter[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): boolean {
  for (const _ in kwargs) return false;
  let required = 0;
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    if (p.rest) return args.length >= required;
    if (!p.optional) required = i + 1;
  }
  return args.length >= required && args.length <= params.length;
}

/** The positional argument list for a call, or IncorrectSignature saying what does not fit. */
export function bindArguments(
  methodName: string,
  params: readonly Parameter[],
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
): unknown[] {
  if (isPositionalFit(params, args, kwargs)) return args as unknown[];
  const restIndex = params.findIndex((p) => p.rest);
  const fixed = restIndex >= 0 ? params.slice(0, restIndex) : params;
  if (restIndex < 0 && args.length > params.length) {
    const noun = params.length === 1 ? 'argument' : 'arguments';
    throw new IncorrectSignature(`${methodName}() takes ${params.length} positional ${noun} but ${args.length} were given`);
  }
  const bound: unknown[] = args.slice(0, Math.max(args.length, 0));
  const given = new Set<number>(args.map((_, i) => i));
  for (const [key, value] of Object.entries(kwargs)) {
    const index = fixed.findIndex((p) => p.name !== null && (p.name === key || p.name === snakeToCamel(key)));
    if (index < 0) throw new IncorrectSignature(`${methodName}() got an unexpected keyword argument '${key}'`);
    if (given.has(index)) throw new IncorrectSignature(`${methodName}() got multiple values for argument '${fixed[index]!.name}'`);
    bound[index] = value;
    given.add(index);
  }
  const missing = fixed.filter((p, i) => !p.optional && !given.has(i)).map((p) => `'${p.name ?? 'argument'}'`);
  if (missing.length > 0) {
    throw new IncorrectSignature(`${methodName}() missing ${missing.length} required argument${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  }
  const length = Math.max(args.length, ...[...given].map((i) => i + 1), 0);
  return Array.from({ length }, (_, i) => bound[i]);
}
