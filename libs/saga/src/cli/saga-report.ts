// What `shimeji-sagas` prints: plain text tables an operator reads in a terminal or a ticket.
import type { SagaState, StepRecord } from '../saga-store';

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

const time = (date: Date | null | undefined) => (date ? date.toISOString() : '-');

/** The saga's last move, for the list: `ship execute failed`. */
function lastStep(saga: SagaState): string {
  const last = saga.steps[saga.steps.length - 1];
  return last ? `${last.step} ${last.phase} ${last.status}` : '-';
}

/** Why it is where it is, in one line: stuck's reason, else the failure that began compensation. */
function reason(saga: SagaState): string {
  return saga.stuckReason ?? saga.failure ?? '';
}

export function formatList(sagas: readonly SagaState[]): string {
  if (sagas.length === 0) return 'no sagas\n';
  const rows = sagas.map((s) => [s.id, s.name, s.status, lastStep(s), time(s.updatedAt), reason(s)]);
  return `${table([['ID', 'SAGA', 'STATUS', 'LAST STEP', 'UPDATED', 'REASON'], ...rows])}\n`;
}

function stepRow(record: StepRecord): string[] {
  return [record.step, record.phase, record.status, String(record.attempts), record.startedAt, `${record.durationMs} ms`, record.error ?? ''];
}

export function formatSaga(saga: SagaState): string {
  const lines: [string, string][] = [
    ['saga', `${saga.id} (${saga.name})`],
    ['status', saga.status],
  ];
  if (saga.failure) lines.push(['failure', saga.failure]);
  if (saga.stuckReason) lines.push(['stuck', saga.stuckReason]);
  lines.push(['created', time(saga.createdAt)], ['updated', time(saga.updatedAt)], ['finished', time(saga.finishedAt)]);
  if (saga.status === 'running' || saga.status === 'compensating') {
    lines.push(['cursor', String(saga.cursor)]);
    lines.push(['lease', saga.leaseOwner ? `${saga.leaseOwner} until ${time(saga.leaseUntil)}` : 'none']);
    if (saga.attempts > 0) lines.push(['next try', `${time(saga.nextAttemptAt)} (after ${saga.attempts} failed)`]);
  }
  lines.push(['context', JSON.stringify(saga.context)]);
  const head = lines.map(([k, v]) => `${k.padEnd(9)}${v}`).join('\n');
  if (saga.steps.length === 0) return `${head}\n\nno step tried yet\n`;
  const steps = table([['STEP', 'PHASE', 'STATUS', 'TRIES', 'STARTED', 'DURATION', 'ERROR'], ...saga.steps.map(stepRow)]);
  return `${head}\n\n${steps.replace(/^/gm, '  ')}\n`;
}
