// What a facade's OpenAPI document leaves a reader to guess: an operation without a summary or a
// description, a response, parameter or field without a description. The document is built from
// the route and zod declarations, so this finds the declarations that say too little. Hidden
// routes are not in the document; the shared Error component is documented once, where it is
// defined, and every error response only refers to it.

interface Schema {
  $ref?: string;
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema | Schema[];
  additionalProperties?: boolean | Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
}

interface Parameter {
  in?: string;
  name?: string;
  description?: string;
  schema?: Schema;
}

interface Content {
  [mediaType: string]: { schema?: Schema };
}

interface Operation {
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Content };
  responses?: Record<string, { description?: string; content?: Content }>;
}

/** An OpenAPI 3 document, as a test reads it: its operations by path and method. */
export interface OpenApiDocument {
  paths?: Record<string, Record<string, any>>;
  [key: string]: unknown;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** @fastify/swagger's description of a response whose route did not describe it. */
const DEFAULT_RESPONSE = 'Default Response';

const described = (text: string | undefined): boolean => typeof text === 'string' && text.trim() !== '';

/** The fields under `schema` that have no description, as `where.field`, `where.items[].field`. */
function undescribedFields(schema: Schema | undefined, where: string): string[] {
  if (!schema || typeof schema !== 'object' || schema.$ref !== undefined) return [];
  const found: string[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const path = `${where}.${name}`;
    if (property.$ref === undefined && !described(property.description)) found.push(path);
    found.push(...undescribedFields(property, path));
  }
  const items = Array.isArray(schema.items) ? schema.items : schema.items ? [schema.items] : [];
  for (const item of items) found.push(...undescribedFields(item, `${where}[]`));
  if (typeof schema.additionalProperties === 'object') found.push(...undescribedFields(schema.additionalProperties, `${where}{}`));
  // A nullable or a union's alternatives describe their fields as the schema itself does.
  for (const alternative of [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) found.push(...undescribedFields(alternative, where));
  return [...new Set(found)];
}

function undescribedContent(content: Content | undefined, where: string): string[] {
  return Object.values(content ?? {}).flatMap((media) => undescribedFields(media.schema, where));
}

function undocumentedOfOperation(operation: Operation, name: string): string[] {
  const found: string[] = [];
  if (!described(operation.summary)) found.push(`${name}: summary`);
  if (!described(operation.description)) found.push(`${name}: description`);
  for (const parameter of operation.parameters ?? []) {
    const where = `${name}: ${parameter.in ?? '?'} parameter ${parameter.name ?? '?'}`;
    if (!described(parameter.description) && !described(parameter.schema?.description)) found.push(where);
    found.push(...undescribedFields(parameter.schema, where));
  }
  found.push(...undescribedContent(operation.requestBody?.content, `${name}: body`));
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    const where = `${name}: ${status} response`;
    if (!described(response.description) || response.description === DEFAULT_RESPONSE) found.push(where);
    found.push(...undescribedContent(response.content, where));
  }
  return found;
}

/**
 * What the document leaves undocumented, each as where a reader would look for it:
 * `POST /orders: summary`, `GET /users: query parameter page`, `POST /orders: body.amount`,
 * `GET /orders: 200 response[].status`. `[]` for a document that documents everything.
 */
export function undocumentedParts(document: OpenApiDocument): string[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .flatMap(([method, operation]) => undocumentedOfOperation(operation as Operation, `${method.toUpperCase()} ${path}`)),
  );
}

/** The document `app` serves at /docs/json, as its clients read it. */
export async function servedDocument(app: { inject(options: { url: string }): Promise<{ json(): unknown }> }): Promise<OpenApiDocument> {
  return (await app.inject({ url: '/docs/json' })).json() as OpenApiDocument;
}
