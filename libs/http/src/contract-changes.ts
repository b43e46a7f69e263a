// How a facade's OpenAPI document changed, read as its application reads it: a change that can
// break a client written against the old document (a route or field gone, a new required field, a
// type that takes less in a request or gives more in a response) is breaking, and the document must
// then say so with a higher major `info.version`. The seeds' API-first talk: the contract is what a
// facade promises, so its changes are reviewed, not discovered.
//
// It reads the JSON Schema the facades' zod schemas become (OpenAPI 3.0: `nullable`, `$ref` to the
// document's components); a shape it cannot compare (a union that changed) counts as breaking.

type Schema = Record<string, any>;
type Document = Record<string, any>;

/** One difference, where it is (`POST /projects body.currency`) and what it is. */
export interface ContractChange {
  at: string;
  what: string;
}

export interface ContractChanges {
  breaking: ContractChange[];
  compatible: ContractChange[];
}

/** A request is read by the facade (it must take all it took); a response by the client (it must give nothing new). */
type Side = 'request' | 'response';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** Bounds, and which way makes a value's schema take less. */
const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;

class Comparison {
  readonly changes: ContractChanges = { breaking: [], compatible: [] };

  constructor(
    private readonly before: Document,
    private readonly after: Document,
  ) {}

  breaking(at: string, what: string): void {
    this.changes.breaking.push({ at, what });
  }

  compatible(at: string, what: string): void {
    this.changes.compatible.push({ at, what });
  }

  operations(): void {
    const paths = new Set([...Object.keys(this.before.paths ?? {}), ...Object.keys(this.after.paths ?? {})]);
    for (const path of paths) {
      for (const method of METHODS) {
        const old = this.before.paths?.[path]?.[method];
        const now = this.after.paths?.[path]?.[method];
        const at = `${method.toUpperCase()} ${path}`;
        if (old && !now) this.breaking(at, 'route removed');
        else if (!old && now) this.compatible(at, 'route added');
        else if (old && now) this.operation(at, old, now);
      }
    }
  }

  private operation(at: string, old: Schema, now: Schema): void {
    const secured = (operation: Schema) => (operation.security ?? this.after.security ?? []).length > 0;
    if (!secured(old) && secured(now)) this.breaking(at, 'now needs a token');
    this.parameters(at, old.parameters ?? [], now.parameters ?? []);
    this.requestBody(at, old.requestBody, now.requestBody);
    this.responses(at, old.responses ?? {}, now.responses ?? {});
  }

  private parameters(at: string, old: Schema[], now: Schema[]): void {
    const key = (p: Schema) => `${p.in} ${p.in === 'header' ? String(p.name).toLowerCase() : p.name}`;
    const before = new Map(old.map((p) => [key(p), p]));
    const after = new Map(now.map((p) => [key(p), p]));
    for (const [name, p] of before) {
      const q = after.get(name);
      const where = `${at} ${p.in} ${p.name}`;
      // A strict facade refuses what it no longer knows, so a client still sending it breaks.
      if (!q) this.breaking(where, 'parameter removed');
      else {
        if (!p.required && q.required) this.breaking(where, 'parameter now required');
        this.schema(where, p.schema ?? {}, q.schema ?? {}, 'request');
      }
    }
    for (const [name, q] of after) {
      if (before.has(name)) continue;
      if (q.required) this.breaking(`${at} ${q.in} ${q.name}`, 'new required parameter');
      else this.compatible(`${at} ${q.in} ${q.name}`, 'new optional parameter');
    }
  }

  private requestBody(at: string, old: Schema | undefined, now: Schema | undefined): void {
    const where = `${at} body`;
    if (!now) {
      if (old) this.compatible(where, 'body no longer read');
      return;
    }
    if (!old) {
      if (now.required) this.breaking(where, 'now needs a body');
      return;
    }
    if (!old.required && now.required) this.breaking(where, 'body now required');
    this.content(where, old.content, now.content, 'request');
  }

  private responses(at: string, old: Schema, now: Schema): void {
    const success = (status: string) => status.startsWith('2');
    for (const status of Object.keys(old)) {
      if (!(status in now)) {
        if (success(status)) this.breaking(`${at} ${status}`, 'success response no longer given');
        else this.compatible(`${at} ${status}`, 'error response no longer given');
      } else this.content(`${at} ${status}`, old[status].content, now[status].content, 'response');
    }
    for (const status of Object.keys(now)) {
      if (!(status in old)) this.compatible(`${at} ${status}`, success(status) ? 'new success response' : 'new error response');
    }
  }

  private content(at: string, old: Schema | undefined, now: Schema | undefined, side: Side): void {
    const json = (content: Schema | undefined) => content?.['application/json']?.schema as Schema | undefined;
    const [a, b] = [json(old), json(now)];
    if (a && b) this.schema(at, a, b, side);
    else if (a && !b) this.breaking(at, 'no longer JSON');
    // A request the facade took as anything is now held to a schema; a response only says more.
    else if (!a && b && side === 'request') this.breaking(at, 'now held to a JSON schema');
    else if (!a && b) this.compatible(at, 'now described by a JSON schema');
  }

  /** `a` before, `b` after, at `at`, on `side`. */
  schema(at: string, a: Schema, b: Schema, side: Side, seen = new Set<Schema>()): void {
    a = this.resolve(a, this.before);
    b = this.resolve(b, this.after);
    if (seen.has(a)) return;
    seen.add(a);
    // What takes less in a request, or gives more in a response, breaks the client.
    const narrower = (what: string) => (side === 'request' ? this.breaking(at, what) : this.compatible(at, what));
    const wider = (what: string) => (side === 'response' ? this.breaking(at, what) : this.compatible(at, what));

    for (const union of ['anyOf', 'oneOf', 'allOf'] as const) {
      if (a[union] || b[union]) {
        const same = a[union]?.length === b[union]?.length;
        if (!same) {
          this.breaking(at, `${union} changed`);
          return;
        }
        a[union].forEach((option: Schema, i: number) => this.schema(`${at}|${i}`, option, b[union][i], side, seen));
      }
    }

    const [ta, tb] = [typesOf(a), typesOf(b)];
    if (ta && tb) {
      const lost = [...ta].filter((t) => !takes(tb, t));
      const gained = [...tb].filter((t) => !takes(ta, t));
      if (lost.length) narrower(`type no longer ${lost.join(' or ')} (${[...ta].join('|')} → ${[...tb].join('|')})`);
      if (gained.length) wider(`type now also ${gained.join(' or ')} (${[...ta].join('|')} → ${[...tb].join('|')})`);
    } else if (ta && !tb) wider('type no longer stated');
    else if (!ta && tb) narrower(`type now ${[...tb].join('|')}`);

    this.enums(at, a.enum, b.enum, narrower, wider);
    for (const bound of LOWER_BOUNDS) this.bound(at, bound, a[bound], b[bound], (x, y) => y > x, narrower, wider);
    for (const bound of UPPER_BOUNDS) this.bound(at, bound, a[bound], b[bound], (x, y) => y < x, narrower, wider);
    for (const rule of ['pattern', 'format', 'const'] as const) {
      if (JSON.stringify(a[rule]) === JSON.stringify(b[rule])) continue;
      if (b[rule] !== undefined) narrower(`${rule} ${a[rule] === undefined ? 'added' : 'changed'}: ${JSON.stringify(b[rule])}`);
      if (a[rule] !== undefined) wider(`${rule} ${b[rule] === undefined ? 'removed' : 'changed'}: was ${JSON.stringify(a[rule])}`);
    }

    if (a.items || b.items) this.schema(`${at}[]`, a.items ?? {}, b.items ?? {}, side, seen);
    if (a.properties || b.properties) this.properties(at, a, b, side, seen);
  }

  private properties(at: string, a: Schema, b: Schema, side: Side, seen: Set<Schema>): void {
    const [pa, pb] = [a.properties ?? {}, b.properties ?? {}];
    const [ra, rb] = [new Set<string>(a.required ?? []), new Set<string>(b.required ?? [])];
    for (const name of Object.keys(pa)) {
      const where = `${at}.${name}`;
      if (!(name in pb)) {
        // A client reading it finds it gone; a strict facade refuses a client still sending it.
        if (side === 'response' || b.additionalProperties === false) this.breaking(where, 'field removed');
        else this.compatible(where, 'field no longer read');
        continue;
      }
      if (side === 'request' && !ra.has(name) && rb.has(name)) this.breaking(where, 'field now required');
      if (side === 'response' && ra.has(name) && !rb.has(name)) this.breaking(where, 'field may now be missing');
      if (side === 'request' && ra.has(name) && !rb.has(name)) this.compatible(where, 'field now optional');
      this.schema(where, pa[name], pb[name], side, seen);
    }
    for (const name of Object.keys(pb)) {
      if (name in pa) continue;
      const where = `${at}.${name}`;
      if (side === 'request' && rb.has(name)) this.breaking(where, 'new required field');
      else this.compatible(where, 'new field');
    }
    if (side === 'request' && a.additionalProperties !== false && b.additionalProperties === false) this.breaking(at, 'unknown fields now refused');
  }

  private enums(at: string, a: unknown[] | undefined, b: unknown[] | undefined, narrower: (w: string) => void, wider: (w: string) => void): void {
    if (!a && !b) return;
    if (!a) return narrower(`now one of ${JSON.stringify(b)}`);
    if (!b) return wider(`no longer one of ${JSON.stringify(a)}`);
    const removed = a.filter((v) => !b.includes(v));
    const added = b.filter((v) => !a.includes(v));
    if (removed.length) narrower(`values removed: ${JSON.stringify(removed)}`);
    // A client that switches over the values meets one it does not know.
    if (added.length) wider(`values added: ${JSON.stringify(added)}`);
  }

  private bound(
    at: string,
    name: string,
    a: number | undefined,
    b: number | undefined,
    stricter: (a: number, b: number) => boolean,
    narrower: (w: string) => void,
    wider: (w: string) => void,
  ): void {
    if (a === b) return;
    if (a === undefined) narrower(`${name} added: ${b}`);
    else if (b === undefined) wider(`${name} removed: was ${a}`);
    else if (stricter(a, b)) narrower(`${name} ${a} → ${b}`);
    else wider(`${name} ${a} → ${b}`);
  }

  private resolve(schema: Schema, document: Document): Schema {
    let resolved = schema;
    for (let depth = 0; typeof resolved?.$ref === 'string' && depth < 32; depth += 1) {
      const path = resolved.$ref.replace(/^#\//, '').split('/');
      resolved = path.reduce((node: any, part: string) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], document) ?? {};
    }
    return resolved ?? {};
  }
}

/** The types a schema allows, `null` included when it is nullable; undefined when it names none. */
function typesOf(schema: Schema): Set<string> | undefined {
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length === 0) return undefined;
  return new Set([...types, ...(schema.nullable ? ['null'] : [])]);
}

/** Whether a schema of `types` takes a value of `type` (a number takes an integer). */
function takes(types: Set<string>, type: string): boolean {
  return types.has(type) || (type === 'integer' && types.has('number'));
}

/** Every difference between two documents of one facade, breaking or not. */
export function compareContracts(before: Document, after: Document): ContractChanges {
  const comparison = new Comparison(before, after);
  comparison.operations();
  return comparison.changes;
}

function majorOf(version: unknown): number | undefined {
  const match = /^(\d+)\.\d+\.\d+/.exec(String(version ?? ''));
  return match ? Number(match[1]) : undefined;
}

/** Whether `after` may replace `before`: a breaking change needs a higher major `info.version`. */
export interface ContractVerdict extends ContractChanges {
  accepted: boolean;
  /** Why not, in words, with each breaking change on its own line. */
  reason?: string;
}

export function judgeContractChange(before: Document, after: Document): ContractVerdict {
  const changes = compareContracts(before, after);
  const [was, now] = [before.info?.version, after.info?.version];
  const [majorWas, majorNow] = [majorOf(was), majorOf(now)];
  if (majorNow === undefined) return { ...changes, accepted: false, reason: `info.version ${JSON.stringify(now)} is not a version (major.minor.patch)` };
  if (changes.breaking.length === 0 || (majorWas !== undefined && majorNow > majorWas)) return { ...changes, accepted: true };
  const list = changes.breaking.map((change) => `  - ${change.at}: ${change.what}`).join('\n');
  return {
    ...changes,
    accepted: false,
    reason: `${changes.breaking.length} breaking change(s) at version ${was} → ${now}; a client written against ${was} may fail. Keep the contract, or raise the facade's major version (its \`version\`) to ${majorWas === undefined ? 1 : majorWas + 1}.0.0:\n${list}`,
  };
}
