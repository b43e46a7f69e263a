// For property tests: values for a JSON Schema, as a facade's OpenAPI document gives it, both the
// ones it takes (to reach a route's happy path) and ones it refuses (to reach each validation
// branch): a required field missing, a field of the wrong type, a value out of its bounds, an
// unknown field where none is allowed. Only what JSON Schema says is read, so the values follow
// the document the clients read, not the zod schemas behind it.
import fc from 'fast-check';

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
}

export interface SchemaValuesOptions {
  /** The document the schemas come from, for their `$ref`s (`#/components/schemas/…`). */
  document: unknown;
  /**
   * Values the fixtures know, by field name (`projectId: [P1]`): a value generated for a field of
   * that name is often one of them, so that a request meets what the fake answers about it.
   */
  examples?: Readonly<Record<string, readonly unknown[]>>;
}

/** How far beyond a bound a generated string or array goes: enough to cross it, no more. */
const SPREAD = 8;
/** A generated free string is short: long ones only slow the runs, their limits are tested as bounds. */
const FREE_LENGTH = 40;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Code points, as JSON Schema counts a string's length. */
const lengthOf = (text: string): number => [...text].length;

export class SchemaValues {
  private readonly examples: Readonly<Record<string, readonly unknown[]>>;

  constructor(private readonly options: SchemaValuesOptions) {
    this.examples = options.examples ?? {};
  }

  /** A value `schema` takes; for a field called `name`, often one of its examples. */
  valid(schema: JsonSchema, name?: string): fc.Arbitrary<unknown> {
    const own = this.derived(this.resolved(schema));
    const known = name === undefined ? undefined : this.examples[name];
    return known?.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: own }) : own;
  }

  /** A value `schema` refuses, or none when it takes anything. */
  broken(given: JsonSchema): fc.Arbitrary<unknown> | undefined {
    const schema = this.resolved(given);
    const types = this.typesOf(schema);
    const ways: fc.Arbitrary<unknown>[] = [];
    if (types) ways.push(wrongType(types));
    if (schema.enum) ways.push(fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })).filter((v) => !schema.enum!.some((e) => JSON.stringify(e) === JSON.stringify(v))));
    else if (types?.includes('string')) ways.push(...brokenStrings(schema));
    if (types?.includes('integer') || types?.includes('number')) ways.push(...brokenNumbers(schema, types.includes('integer') && !types.includes('number')));
    if (types?.includes('array') && schema.items) ways.push(...this.brokenArrays(schema));
    if (types?.includes('object')) ways.push(...this.brokenObjects(schema));
    return ways.length > 0 ? fc.oneof(...ways) : undefined;
  }

  /** The JSON types `schema` takes (after its `$ref`), or none when it does not say. */
  typesOf(given: JsonSchema): string[] | undefined {
    const schema = this.resolved(given);
    const branches = schema.anyOf ?? schema.oneOf;
    if (branches) {
      const each = branches.map((branch) => this.typesOf(branch));
      return each.every((types) => types !== undefined) ? [...new Set(each.flat() as string[]), ...(schema.nullable ? ['null'] : [])] : undefined;
    }
    const declared = typeof schema.type === 'string' ? [schema.type] : schema.type;
    const inferred =
      declared ??
      (schema.properties ? ['object'] : schema.items ? ['array'] : schema.enum ? [...new Set(schema.enum.map(jsonTypeOf))] : schema.const !== undefined ? [jsonTypeOf(schema.const)] : undefined);
    return inferred && schema.nullable ? [...inferred, 'null'] : inferred;
  }

  /** `schema` without its `$ref` and `allOf`, merged into one. */
  resolved(schema: JsonSchema): JsonSchema {
    let current = schema;
    for (let hops = 0; current.$ref !== undefined; hops++) {
      if (hops > 32) throw new Error(`the $ref ${schema.$ref} goes round in circles`);
      current = { ...this.pointedAt(current.$ref), ...withoutRef(current) };
    }
    if (!current.allOf) return current;
    const { allOf, ...rest } = current;
    return allOf.map((part) => this.resolved(part)).reduce(mergeSchemas, rest);
  }

  private pointedAt(ref: string): JsonSchema {
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are followed, not ${ref}`);
    let at: unknown = this.options.document;
    for (const key of ref.slice(2).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))) {
      at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
    }
    if (at === undefined) throw new Error(`the $ref ${ref} points at nothing in the document`);
    return at as JsonSchema;
  }

  private derived(schema: JsonSchema): fc.Arbitrary<unknown> {
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const branches = schema.anyOf ?? schema.oneOf;
    if (branches) {
      const alternatives = branches.map((branch) => this.valid(branch));
      return schema.nullable ? fc.oneof(...alternatives, fc.constant(null)) : fc.oneof(...alternatives);
    }
    const types = this.typesOf(schema);
    if (!types) return fc.jsonValue({ maxDepth: 2 });
    // null is one value among many: rarer, so that a nullable field is mostly filled in.
    return fc.oneof(...types.map((type) => ({ weight: type === 'null' ? 1 : 4, arbitrary: this.ofType(type, schema) })));
  }

  private ofType(type: string, schema: JsonSchema): fc.Arbitrary<unknown> {
    switch (type) {
      case 'string':
        return validString(schema);
      case 'integer':
        return integerBetween(...integerBounds(schema));
      case 'number':
        return fc.double({ ...numberBounds(schema), noNaN: true, noDefaultInfinity: true });
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array': {
        const minLength = schema.minItems ?? 0;
        const maxLength = Math.min(schema.maxItems ?? minLength + 4, minLength + 4);
        return fc.array(schema.items ? this.valid(schema.items) : fc.jsonValue({ maxDepth: 1 }), { minLength, maxLength });
      }
      case 'object':
        return this.validObject(schema);
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  private validObject(schema: JsonSchema): fc.Arbitrary<unknown> {
    const properties = schema.properties ?? {};
    const model = Object.fromEntries(Object.entries(properties).map(([key, property]) => [key, this.valid(property, key)]));
    const requiredKeys = (schema.required ?? []).filter((key) => key in properties);
    const fields = fc.record(model, { requiredKeys, noNullPrototype: true });
    const extra = schema.additionalProperties;
    if (extra === false) return fields;
    // Where the schema lets a client send more, it sometimes does.
    const value = typeof extra === 'object' ? this.valid(extra) : fc.jsonValue({ maxDepth: 1 });
    return fc
      .tuple(fields, fc.option(fc.tuple(unknownKey(properties), value), { freq: 4 }))
      .map(([object, more]) => (more ? { ...object, [more[0]]: more[1] } : object));
  }

  private brokenObjects(schema: JsonSchema): fc.Arbitrary<unknown>[] {
    const properties = schema.properties ?? {};
    const whole = this.validObject(schema) as fc.Arbitrary<Record<string, unknown>>;
    const ways: fc.Arbitrary<unknown>[] = (schema.required ?? []).map((key) => whole.map(({ [key]: _missing, ...rest }) => rest));
    for (const [key, property] of Object.entries(properties)) {
      const bad = this.broken(property);
      if (bad) ways.push(fc.tuple(whole, bad).map(([object, value]) => ({ ...object, [key]: value })));
    }
    if (schema.additionalProperties === false) {
      ways.push(fc.tuple(whole, unknownKey(properties), fc.jsonValue({ maxDepth: 1 })).map(([object, key, value]) => ({ ...object, [key]: value })));
    }
    return ways;
  }

  private brokenArrays(schema: JsonSchema): fc.Arbitrary<unknown>[] {
    const item = this.valid(schema.items!);
    const ways: fc.Arbitrary<unknown>[] = [];
    if (schema.minItems) ways.push(fc.array(item, { maxLength: schema.minItems - 1 }));
    if (schema.maxItems !== undefined) ways.push(fc.array(item, { minLength: schema.maxItems + 1, maxLength: schema.maxItems + SPREAD }));
    const badItem = this.broken(schema.items!);
    if (badItem) ways.push(fc.tuple(fc.array(item, { maxLength: 2 }), badItem).map(([items, bad]) => [...items, bad]));
    return ways;
  }
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Number.POSITIVE_INFINITY;
  const shaped = shapedString(schema);
  if (shaped) return min > 0 || max < Number.POSITIVE_INFINITY ? shaped.filter((text) => lengthOf(text) >= min && lengthOf(text) <= max) : shaped;
  const maxLength = Math.min(max, min + FREE_LENGTH);
  // Mostly plain text, sometimes any script: a facade must take what a client may type.
  return fc.oneof({ weight: 3, arbitrary: fc.string({ minLength: min, maxLength }) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength }) });
}

/** A string in the schema's pattern or format, or none when it has neither. */
function shapedString(schema: JsonSchema): fc.Arbitrary<string> | undefined {
  if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern));
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc.emailAddress();
    case 'date-time':
      return fc.date({ noInvalidDate: true, min: new Date('1970-01-01'), max: new Date('9999-12-31') }).map((date) => date.toISOString());
    case 'date':
      return fc.date({ noInvalidDate: true, min: new Date('1970-01-01'), max: new Date('9999-12-31') }).map((date) => date.toISOString().slice(0, 10));
    case 'uri':
    case 'url':
      return fc.webUrl();
    default:
      return undefined;
  }
}

function brokenStrings(schema: JsonSchema): fc.Arbitrary<unknown>[] {
  const ways: fc.Arbitrary<unknown>[] = [];
  if (schema.minLength) ways.push(fc.string({ maxLength: schema.minLength - 1 }));
  if (schema.maxLength !== undefined) ways.push(fc.string({ minLength: schema.maxLength + 1, maxLength: schema.maxLength + SPREAD }));
  if (schema.pattern !== undefined) {
    const pattern = new RegExp(schema.pattern);
    ways.push(fc.string({ maxLength: FREE_LENGTH }).filter((text) => !pattern.test(text)));
  } else if (schema.format === 'uuid') {
    ways.push(fc.string({ minLength: 1, maxLength: FREE_LENGTH }).filter((text) => !UUID.test(text)));
  } else if (schema.format === 'email' || schema.format === 'date-time' || schema.format === 'date') {
    ways.push(fc.string({ maxLength: FREE_LENGTH }).filter((text) => !/@|\d{4}-\d{2}/.test(text)));
  }
  return ways;
}

function brokenNumbers(schema: JsonSchema, integer: boolean): fc.Arbitrary<unknown>[] {
  const [low, high] = integer ? integerBounds(schema) : [numberBounds(schema).min, numberBounds(schema).max];
  const ways: fc.Arbitrary<unknown>[] = [];
  if (low !== undefined && low > Number.MIN_SAFE_INTEGER) ways.push(integerBetween(Math.max(Number.MIN_SAFE_INTEGER, Math.floor(low) - 1_000), Math.ceil(low) - 1));
  if (high !== undefined && high < Number.MAX_SAFE_INTEGER) ways.push(integerBetween(Math.floor(high) + 1, Math.min(Number.MAX_SAFE_INTEGER, Math.ceil(high) + 1_000)));
  if (integer) ways.push(fc.double({ noNaN: true, noDefaultInfinity: true, min: low, max: high }).filter((n) => !Number.isInteger(n)));
  return ways;
}

function integerBounds(schema: JsonSchema): [number, number] {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER, minExcluded, maxExcluded } = numberBounds(schema);
  return [minExcluded ? Math.floor(min) + 1 : Math.ceil(min), maxExcluded ? Math.ceil(max) - 1 : Math.floor(max)];
}

/** The bounds in OpenAPI 3.0's form (a boolean `exclusiveMinimum` beside `minimum`) or 3.1's (a number). */
function numberBounds(schema: JsonSchema): { min?: number; max?: number; minExcluded: boolean; maxExcluded: boolean } {
  const lower = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : schema.minimum;
  const upper = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : schema.maximum;
  return {
    ...(lower === undefined ? {} : { min: lower }),
    ...(upper === undefined ? {} : { max: upper }),
    minExcluded: schema.exclusiveMinimum !== undefined && schema.exclusiveMinimum !== false,
    maxExcluded: schema.exclusiveMaximum !== undefined && schema.exclusiveMaximum !== false,
  };
}

/** fc.integer holds 32 bits; wider ranges go through bigint. */
function integerBetween(min: number, max: number): fc.Arbitrary<number> {
  const int32 = min >= -(2 ** 31) && max <= 2 ** 31 - 1;
  return int32 ? fc.integer({ min, max }) : fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number);
}

/** A JSON value of none of `types` (an integer counts as a number). */
function wrongType(types: readonly string[]): fc.Arbitrary<unknown> {
  const numeric = types.includes('number');
  const candidates: [string, fc.Arbitrary<unknown>][] = [
    ['string', fc.string({ maxLength: 10 })],
    ['integer', fc.integer()],
    ['number', fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n))],
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['array', fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 })],
    ['object', fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3, noNullPrototype: true })],
  ];
  const taken = (type: string) => types.includes(type) || (numeric && type === 'integer');
  const left = candidates.filter(([type]) => !taken(type)).map(([, arbitrary]) => arbitrary);
  return fc.oneof(...left);
}

function unknownKey(properties: Record<string, unknown>): fc.Arbitrary<string> {
  // `__proto__` is refused by fastify's JSON parser before any schema sees it.
  return fc.string({ minLength: 1, maxLength: 12 }).filter((key) => !(key in properties) && key !== '__proto__');
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function withoutRef({ $ref: _ref, ...rest }: JsonSchema): JsonSchema {
  return rest;
}

function mergeSchemas(into: JsonSchema, part: JsonSchema): JsonSchema {
  return {
    ...into,
    ...part,
    ...(into.properties || part.properties ? { properties: { ...into.properties, ...part.properties } } : {}),
    ...(into.required || part.required ? { required: [...(into.required ?? []), ...(part.required ?? [])] } : {}),
  };
}
