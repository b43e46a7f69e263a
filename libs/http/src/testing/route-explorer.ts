// For facade tests: drives every operation of a facade's OpenAPI document with requests fast-check
// generates from it (explored-requests.ts), on a fake whose every call fast-check answers with a
// plausible reply or a declared remote error (explored-answers.ts), and holds each answer to the
// document: never a 500, only a status the operation lists, every error in the one error shape.
// A failure names the request (method, URL, headers, body, token), what the fake answered, and the
// response, shrunk by fast-check to the smallest request that still fails.
//
//   await exploreFacade(web, { app: webApp, tokenWith }, { otherRoles: ['admin'], replies: { 'user.getUser': [aUser()] } });
import type { ErrorRegistry } from '@platform/shimeji';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { Writable } from 'node:stream';
import type { DefinedFacade } from '../define-facade';
import { ExploredAnswers, type Replies } from './explored-answers';
import { type ExploredRequest, type ExploredDocument, type Operation, operationsOf, requestsFor, type TokenKind } from './explored-requests';
import type { FacadeUnderTest } from './facade-under-test';
import { FakeRpc } from './fake-rpc';

export type { Replies, Reply } from './explored-answers';
export type { ExploredDocument } from './explored-requests';

export interface RouteExplorerOptions {
  app: Pick<FastifyInstance, 'inject'>;
  /** The document the app serves at /docs/json. */
  document: ExploredDocument;
  /** The fake the app was built on: the explorer gives it an answer for every method of `replies`. */
  rpc: FakeRpc;
  /** A valid token of this facade for `role`. */
  token: (role: string) => string;
  /** The roles the facade serves. */
  roles: readonly string[];
  /** Roles it does not serve, whose valid tokens it refuses. */
  otherRoles: readonly string[];
  /** The remote errors the facade declares it consumes: the fake raises them, and no others. */
  remoteErrors: ErrorRegistry;
  /** Per `service.method`, plausible replies; a value, or a function of the call's arguments. */
  replies: Replies;
  /** Values the replies know, by field or parameter name (`projectId: [P1]`), so that requests often meet them. */
  examples?: Readonly<Record<string, readonly unknown[]>>;
  /** Requests per operation (default 60). */
  runs?: number;
  /** fast-check's seed, to replay a failure it printed. */
  seed?: number;
  /** Operations left out (`'POST /login'`), each with why: printed, so that none is left out silently. */
  skip?: Readonly<Record<string, string>>;
  /** What the app logged as the error of the request with this id, for a 500's report. */
  loggedError?: (requestId: string) => string | undefined;
}

/** Per operation, how many requests got each status. */
export type ExplorationReport = Record<string, Record<string, number>>;

export const DEFAULT_RUNS = 60;

/** Explores every operation; throws one error naming every operation that failed, each with its smallest failing request. */
export async function exploreRoutes(options: RouteExplorerOptions): Promise<ExplorationReport> {
  const answers = new ExploredAnswers(options.rpc, options.replies, options.remoteErrors);
  const report: ExplorationReport = {};
  const failures: string[] = [];
  let sent = 0;
  for (const operation of operationsOf(options.document)) {
    const skipped = options.skip?.[operation.name];
    if (skipped !== undefined) {
      console.warn(`${operation.name} is left out of the route explorer: ${skipped}`);
      continue;
    }
    const statuses: Record<string, number> = (report[operation.name] = {});
    const property = fc.asyncProperty(requestsFor(operation, options), async (request) => {
      answers.use(request.answers);
      const requestId = `explored-${++sent}`;
      const response = await options.app.inject(injected(operation, request, requestId, options.token));
      statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
      const problem = problemOf(operation, response.statusCode, parsed(response.body));
      if (problem === undefined) return;
      const logged = response.statusCode >= 500 ? options.loggedError?.(requestId) : undefined;
      throw new Error(failureReport(operation, request, problem, answers.answered(), response, logged));
    });
    const run = await fc.check(property, { numRuns: options.runs ?? DEFAULT_RUNS, ...(options.seed === undefined ? {} : { seed: options.seed }) });
    // fast-check's report gives the shrunk request and its seed; the error says what it got back.
    if (run.failed) failures.push(`${operation.name}:\n${String((run.errorInstance as Error | undefined)?.message ?? run.errorInstance)}\n${fc.defaultReportMessage(run)}`);
  }
  if (failures.length > 0) throw new Error(`${failures.length} operation(s) answered against their document:\n\n${failures.join('\n\n')}`);
  return report;
}

export type FacadeExploration = Pick<RouteExplorerOptions, 'otherRoles' | 'replies' | 'examples' | 'runs' | 'seed' | 'skip'>;

/**
 * `exploreRoutes` on `facade`'s app as its tests build it, serving its own document. Without rate
 * limits: a limit is state carried from one request to the next, and fast-check's runs (and its
 * shrinking, which replays them) must not depend on the ones before; the limits have their own tests.
 */
export async function exploreFacade(facade: DefinedFacade, under: Pick<FacadeUnderTest, 'app' | 'tokenWith'>, options: FacadeExploration): Promise<ExplorationReport> {
  const logged = new LoggedErrors();
  const { app, rpc } = await under.app(new FakeRpc(), { rateLimits: { login: false, payment: false }, logger: { level: 'error', stream: logged.stream } });
  const document = (await app.inject({ url: '/docs/json' })).json() as ExploredDocument;
  return exploreRoutes({
    ...options,
    app,
    document,
    rpc,
    roles: facade.roles,
    remoteErrors: facade.remoteErrors,
    token: (role) => under.tokenWith({ role }),
    loggedError: (requestId) => logged.of(requestId),
  });
}

function injected(operation: Operation, request: ExploredRequest, requestId: string, token: (role: string) => string) {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_whole, name: string) => encodeURIComponent(request.params[name] ?? ''));
  const query = request.query.length > 0 ? `?${new URLSearchParams(request.query).toString()}` : '';
  const headers: Record<string, string> = { ...request.headers, 'x-request-id': requestId, ...authorization(request.token, token) };
  const { body } = request;
  if (body.kind === 'json') Object.assign(headers, { 'content-type': 'application/json' });
  if (body.kind === 'raw') Object.assign(headers, { 'content-type': body.contentType });
  const payload = body.kind === 'json' ? JSON.stringify(body.value) : body.kind === 'raw' ? body.payload : undefined;
  return { method: operation.method as 'GET', url: `${path}${query}`, headers, ...(payload === undefined ? {} : { payload }) };
}

function authorization(kind: TokenKind, token: (role: string) => string): Record<string, string> {
  switch (kind.kind) {
    case 'none':
      return {};
    case 'garbage':
      return { authorization: `Bearer ${kind.value}` };
    default:
      return { authorization: `Bearer ${token(kind.role)}` };
  }
}

/** What is wrong with answering `status` and `body` on `operation`, if anything. */
function problemOf(operation: Operation, status: number, body: unknown): string | undefined {
  if (status === 500) return 'answered 500: a route never should, every failure it can meet has its own status';
  // The router's own 404: the request matched no route's pattern, so it tells nothing of this one.
  if (status === 404 && typeof (body as { message?: unknown })?.message === 'string' && (body as { message: string }).message.startsWith('no route ')) {
    return 'reached no route: its path did not match the route’s pattern (the explorer keeps every segment matching, so this is a routing surprise)';
  }
  if (!documents(operation.statuses, status)) return `answered ${status}, which its document does not list (it lists ${operation.statuses.join(', ')})`;
  if (status >= 400 && !isErrorBody(body)) return `answered ${status} outside the one error shape { error, message, details }`;
  return undefined;
}

function documents(statuses: readonly string[], status: number): boolean {
  return statuses.some((documented) => documented === String(status) || documented === `${String(status)[0]}XX` || documented === 'default');
}

function isErrorBody(body: unknown): boolean {
  const { error, message, details } = (body ?? {}) as Record<string, unknown>;
  return (
    typeof error === 'string' &&
    typeof message === 'string' &&
    Array.isArray(details) &&
    details.every((d) => d !== null && typeof d === 'object' && typeof d.field === 'string' && typeof d.message === 'string')
  );
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function tokenSaid(token: TokenKind): string {
  switch (token.kind) {
    case 'role':
      return `a valid token of a ${token.role}`;
    case 'another role':
      return `a valid token of a ${token.role}, a role the facade does not serve`;
    case 'garbage':
      return `garbage: Bearer ${JSON.stringify(token.value)}`;
    default:
      return 'none';
  }
}

function failureReport(operation: Operation, request: ExploredRequest, problem: string, answered: string[], response: { statusCode: number; body: string }, logged?: string): string {
  const sent = injected(operation, request, '…', () => '<token>');
  const { 'x-request-id': _id, authorization: _token, ...headers } = sent.headers;
  return [
    `${sent.method} ${sent.url} ${problem}`,
    `  token: ${tokenSaid(request.token)}`,
    `  headers: ${JSON.stringify(headers)}`,
    `  body: ${'payload' in sent ? sent.payload : '(none)'}`,
    `  the fake answered: ${answered.length > 0 ? answered.map((line) => `\n    ${line}`).join('') : 'no call was made'}`,
    `  response ${response.statusCode}: ${response.body}`,
    ...(logged ? [`  the app logged: ${logged}`] : []),
  ].join('\n');
}

/** The errors an app logs, by request id: a 500's report shows what was thrown, which its answer never does. */
class LoggedErrors {
  private readonly byRequest = new Map<string, string>();
  readonly stream = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) this.read(line);
      done();
    },
  });

  of(requestId: string): string | undefined {
    return this.byRequest.get(requestId);
  }

  private read(line: string): void {
    try {
      const entry = JSON.parse(line) as { reqId?: string; msg?: string; err?: { stack?: string; message?: string } };
      if (entry.reqId !== undefined) this.byRequest.set(entry.reqId, `${entry.msg ?? ''}: ${entry.err?.stack ?? entry.err?.message ?? ''}`);
    } catch {
      // Not a JSON line: nothing a report needs.
    }
  }
}
