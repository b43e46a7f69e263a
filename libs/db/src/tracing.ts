// Spans for the database work of a worker when the process traces: one per query (from knex's
// query events, which fire in the caller's async context) and one per worker transaction.
import { endSpan, SpanKind, startSpan, tracingEnabled } from '@platform/shimeji/tracing';
import type { Knex } from 'knex';

type QueryEvent = { __knexQueryUid?: string; sql?: string; method?: string };
type Started = ReturnType<typeof startSpan>;

/** Makes every query of `db` a span (`db.system.name`: postgresql for pg and PGlite alike). */
export function traceQueries(db: Knex, embedded: boolean): void {
  if (!tracingEnabled()) return;
  const spans = new Map<string, NonNullable<Started>>();
  db.on('query', (query: QueryEvent) => {
    if (!query.__knexQueryUid) return;
    const operation = (query.method ?? query.sql?.split(/\s/, 1)[0] ?? 'query').toUpperCase();
    const span = startSpan(
      `db ${operation}`,
      {
        'db.system.name': 'postgresql',
        'db.operation.name': operation,
        'db.query.text': query.sql ?? '',
        'shimeji.db.embedded': embedded,
      },
      SpanKind.CLIENT,
    );
    if (span) spans.set(query.__knexQueryUid, span);
  });
  const finish = (query: QueryEvent | undefined, error?: unknown) => {
    const uid = query?.__knexQueryUid;
    if (!uid) return;
    endSpan(spans.get(uid), error);
    spans.delete(uid);
  };
  db.on('query-response', (_response: unknown, query: QueryEvent) => finish(query));
  db.on('query-error', (error: unknown, query: QueryEvent) => finish(query, error));
}

/** A worker transaction's span, from its begin to its commit or rollback. */
export function startTransactionSpan(): Started {
  if (!tracingEnabled()) return undefined;
  return startSpan('db transaction', { 'db.system.name': 'postgresql' }, SpanKind.INTERNAL);
}

export { endSpan };
