// The markdown of `npm run bench:events`.
import { median } from '../rpc/measure';
import { int, ms, ratio, type Stats } from '../shared/harness';

export interface EventRow {
  readonly key: string;
  readonly label: string;
  /** Delivery mode, as shown. */
  readonly mode: string;
  /** How events are dispatched, as shown. */
  readonly dispatch: string;
  /** Handler runs each event must cause: 2 for broadcast to two instances. */
  readonly consumers: number;
}

export interface EventsReportInput {
  startedAt: Date;
  environment: string;
  settings: string;
  check: string;
  rows: readonly EventRow[];
  /** runs[row key] = one Stats per round, in round order. */
  runs: Record<string, Stats[]>;
  /** The baseline row with the same number of consumers: 1 → one queue, 2 → two queues. */
  baselines: Record<number, string>;
}

export function renderEventsReport(input: EventsReportInput): string {
  const eps = (s: Stats): number => s.callsPerSec;
  const med = (key: string, pick: (s: Stats) => number): number => median(input.runs[key]!.map(pick));
  const headline = input.baselines[1]!;

  const lines: string[] = [];
  lines.push(`### Events: shimeji vs raw amqplib — ${input.startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}`);
  lines.push('');
  lines.push(`${input.environment}  `);
  lines.push(input.settings);
  lines.push('');
  lines.push(
    '| Delivery mode | Implementation | Dispatch | events/s (median) | events/s (min–max) | / raw, 1 durable queue | / raw, same fan-out | ' +
      'handler runs/s | p50 ms | p99 ms | Node CPU µs/event | broker CPU µs/event | events checked |',
  );
  lines.push('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of input.rows) {
    const values = input.runs[row.key]!.map(eps);
    const same = input.baselines[row.consumers];
    lines.push(
      `| ${row.mode} | ${row.label} | ${row.dispatch} | ${int(median(values))} | ${int(Math.min(...values))}–${int(Math.max(...values))} | ` +
        `${ratio(med(row.key, eps) / med(headline, eps))} | ${same ? ratio(med(row.key, eps) / med(same, eps)) : '–'} | ` +
        `${int(med(row.key, eps) * row.consumers)} | ${ms(med(row.key, (s) => s.p50Ms))} | ${ms(med(row.key, (s) => s.p99Ms))} | ` +
        `${int(med(row.key, (s) => s.cpuMicrosPerCall))} | ${int(med(row.key, (s) => s.brokerMicrosPerCall))} | ${int(input.runs[row.key]!.reduce((sum, s) => sum + s.calls, 0))} |`,
    );
  }
  lines.push('');
  lines.push(input.check);
  lines.push('');
  lines.push('Per-round events/s ratios to the baseline with the same fan-out (same round):  ');
  for (const row of input.rows) {
    const same = input.baselines[row.consumers];
    if (!same || same === row.key) continue;
    const base = input.runs[same]!;
    lines.push(`${row.label}: ${input.runs[row.key]!.map((s, i) => ratio(s.callsPerSec / base[i]!.callsPerSec)).join(', ')}  `);
  }
  return lines.join('\n');
}
