// For property tests: every operation of a facade's OpenAPI document, and requests for it that
// fast-check generates from what the document says: path parameters, query, headers and a JSON
// body, each most often one the schema takes and sometimes one it refuses, with the caller's
// token, none, another role's, or garbage. The whole request is one value, so that fast-check
// shrinks a failing one to its smallest and prints it.
import fc from 'fast-check';
import { IDEMPOTENCY_KEY_HEADER } from '../idempotency-keys';
import { type AnswerPlan, answerPlans } from './explored-answers';
import { type JsonSchema, SchemaValues } from './schema-values';

/** What the explorer reads of an OpenAPI document. */
export interface ExploredDocument {
  paths: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

interface OperationObject {
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, unknown>;
  security?: unknown[];
}

export interface Operation {
  /** `POST /projects/{projectId}/members`, as a failure and a skip name it. */
  name: string;
  method: string;
  path: string;
  parameters: Parameter[];
  /** Its JSON body, when it takes one. */
  body?: { required: boolean; schema: JsonSchema };
  /** It needs a token (it has a `security` requirement). */
  secured: boolean;
  /** The statuses it documents (its `responses` keys: `201`, `4XX`, `default`). */
  statuses: string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
/** fastify reads a body on these; a GET's is never sent. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Every operation of the document, in its order. */
export function operationsOf(document: ExploredDocument): Operation[] {
  const values = new SchemaValues({ document });
  return Object.entries(document.paths).flatMap(([path, item]) => {
    const shared = ((item as { parameters?: Parameter[] }).parameters ?? []) as (Parameter | { $ref: string })[];
    return METHODS.filter((method) => item[method] !== undefined).map((method): Operation => {
      const operation = item[method] as OperationObject;
      const parameters = [...shared, ...(operation.parameters ?? [])].map((p) => ('$ref' in p ? (values.resolved(p as JsonSchema) as unknown as Parameter) : p));
      const json = operation.requestBody?.content?.['application/json']?.schema;
      return {
        name: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters,
        ...(json ? { body: { required: operation.requestBody?.required ?? false, schema: json } } : {}),
        secured: (operation.security ?? (document.security as unknown[] | undefined) ?? []).length > 0,
        statuses: Object.keys(operation.responses ?? {}),
      };
    });
  });
}

export type TokenKind = { kind: 'role'; role: string } | { kind: 'none' } | { kind: 'another role'; role: string } | { kind: 'garbage'; value: string };

export type Body = { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'raw'; contentType: string; payload: string };

/** One generated request, and how the fake answers its calls. */
export interface ExploredRequest {
  params: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  body: Body;
  token: TokenKind;
  answers: AnswerPlan[];
}

export interface RequestsOptions {
  document: ExploredDocument;
  /** The roles the facade serves: a caller's token has one of them. */
  roles: readonly string[];
  /** Roles it does not serve: their valid tokens are refused. */
  otherRoles: readonly string[];
  examples?: Readonly<Record<string, readonly unknown[]>>;
}

/** Keys a client would send; a key of any other shape is a broken header. */
const EXAMPLE_KEYS = ['6f9619ff-8b86-4011-b42d-00c04fc964ff', 'retry-1'];

/** Requests for `operation`: each part mostly one the document takes, sometimes one it refuses. */
export function requestsFor(operation: Operation, options: RequestsOptions): fc.Arbitrary<ExploredRequest> {
  const values = new SchemaValues({ document: options.document, examples: { [IDEMPOTENCY_KEY_HEADER]: EXAMPLE_KEYS, ...options.examples } });
  const located = (where: Parameter['in']) => operation.parameters.filter((p) => p.in === where);
  return fc.record({
    params: part(located('path'), values, false).map((entries) => Object.fromEntries(entries.map(([name, value]) => [name, pathSegment(value)]))),
    query: part(located('query'), values, true).map((entries) => entries.flatMap(([name, value]) => queryValues(value).map((text): [string, string] => [name, text]))),
    headers: part(located('header'), values, false).map((entries) => Object.fromEntries(entries.map(([name, value]) => [name.toLowerCase(), headerValue(value)]))),
    body: bodyOf(operation, values),
    token: tokenOf(options),
    answers: answerPlans(),
  });
}

type Entry = [string, unknown];

/**
 * One part's values: all valid (optional ones sometimes left out), or one of them broken: a
 * required one missing, one of the wrong shape, or (in the query) an unknown one.
 */
function part(parameters: Parameter[], values: SchemaValues, unknownOne: boolean): fc.Arbitrary<Entry[]> {
  if (parameters.length === 0) return fc.constant([]);
  const validOf = (p: Parameter): fc.Arbitrary<Entry | undefined> => {
    const value = values.valid(p.schema ?? {}, p.name).map((v): Entry => [p.name, v]);
    return p.required || p.in === 'path' ? value : fc.option(value, { nil: undefined, freq: 3 });
  };
  const all = (replacing?: { name: string; with: fc.Arbitrary<Entry | undefined> }) =>
    fc.tuple(...parameters.map((p) => (p.name === replacing?.name ? replacing.with : validOf(p)))).map((entries) => entries.filter((e): e is Entry => e !== undefined));
  const broken: fc.Arbitrary<Entry[]>[] = [];
  for (const p of parameters) {
    // A path parameter is never left out: without its segment the path is another route's.
    if (p.required && p.in !== 'path') broken.push(all({ name: p.name, with: fc.constant(undefined) }));
    const bad = values.broken(p.schema ?? {});
    if (bad) broken.push(all({ name: p.name, with: bad.map((v): Entry => [p.name, v]) }));
  }
  if (unknownOne) {
    const known = new Set(parameters.map((p) => p.name));
    const name = fc.stringMatching(/^[a-z_]{1,12}$/).filter((n) => !known.has(n));
    broken.push(fc.tuple(all(), name, fc.string({ maxLength: 10 })).map(([entries, n, v]) => [...entries, [n, v] as Entry]));
  }
  return broken.length > 0 ? fc.oneof({ weight: 5, arbitrary: all() }, { weight: 1, arbitrary: fc.oneof(...broken) }) : all();
}

function bodyOf(operation: Operation, values: SchemaValues): fc.Arbitrary<Body> {
  if (!BODY_METHODS.has(operation.method)) return fc.constant({ kind: 'none' });
  const json = (value: fc.Arbitrary<unknown>) => value.map((v): Body => ({ kind: 'json', value: v }));
  const odd = fc.constantFrom<Body>(
    { kind: 'none' },
    { kind: 'raw', contentType: 'application/json', payload: '{"' },
    { kind: 'raw', contentType: 'text/plain', payload: 'name=x' },
  );
  if (!operation.body) return fc.oneof({ weight: 6, arbitrary: fc.constant<Body>({ kind: 'none' }) }, { weight: 1, arbitrary: json(fc.jsonValue()) }, { weight: 1, arbitrary: odd });
  const broken = values.broken(operation.body.schema);
  return fc.oneof(
    { weight: 6, arbitrary: json(values.valid(operation.body.schema)) },
    ...(broken ? [{ weight: 2, arbitrary: json(broken) }] : []),
    { weight: 1, arbitrary: json(fc.jsonValue()) },
    { weight: 1, arbitrary: odd },
  );
}

function tokenOf({ roles, otherRoles }: RequestsOptions): fc.Arbitrary<TokenKind> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...roles).map((role): TokenKind => ({ kind: 'role', role })) },
    { weight: 1, arbitrary: fc.constant<TokenKind>({ kind: 'none' }) },
    ...(otherRoles.length > 0 ? [{ weight: 1, arbitrary: fc.constantFrom(...otherRoles).map((role): TokenKind => ({ kind: 'another role', role })) }] : []),
    { weight: 1, arbitrary: printable(fc.string({ maxLength: 60 })).map((value): TokenKind => ({ kind: 'garbage', value })) },
  );
}

/**
 * A path parameter as text, never empty nor `.`/`..`: fastify's router answers 404 only for a
 * path no route's pattern matches, and an empty segment (or one the URL resolves away) would
 * reach another route or none. Any other text reaches this route, whose validation judges it.
 */
function pathSegment(value: unknown): string {
  const text = Array.isArray(value) ? value.map(String).join(',') : typeof value === 'string' ? value : JSON.stringify(value);
  return text === '' || text === '.' || text === '..' ? `${text}_` : text;
}

function queryValues(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(queryValues);
  if (value === null) return [''];
  return [typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)];
}

/** Header values are visible ASCII and spaces: anything else no HTTP client can send. */
function headerValue(value: unknown): string {
  return toPrintable(typeof value === 'string' ? value : JSON.stringify(value) ?? '');
}

function printable(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return text.map(toPrintable);
}

function toPrintable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}
