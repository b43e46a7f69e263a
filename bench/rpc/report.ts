// Turns the per-round numbers into the markdown printed and saved as last-run.md.
import { median, type RunStats } from './measure';

export type Mode = 'sequential' | 'in-flight';

/**
 * `raw` is the headline baseline the targets are measured against; `rawNameko` is the same code
 * sending shimeji's exact messages, so `shimeji / rawNameko` is the cost of the framework alone.
 */
export type ImplementationKey = 'shimeji' | 'raw' | 'rawNameko';

export interface Implementation {
  key: ImplementationKey;
  label: string;
}

export interface ReportInput {
  startedAt: Date;
  environment: string;
  settings: string;
  inFlight: number;
  implementations: readonly Implementation[];
  /** rounds[mode][implementation key] = one RunStats per round, in round order. */
  rounds: Record<Mode, Record<ImplementationKey, RunStats[]>>;
}

export const TARGETS = { inFlightCallsRatio: 0.8, sequentialP50Ratio: 1.2 } as const;

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const ratio = (n: number): string => n.toFixed(2);
// Three decimals where a verdict hangs on the value, so 1.204 does not print as a failing 1.20.
const verdictRatio = (n: number): string => n.toFixed(3);

type Metric = (s: RunStats) => number;
const callsPerSec: Metric = (s) => s.callsPerSec;
const p50: Metric = (s) => s.p50Ms;
const cpuPerCall: Metric = (s) => s.cpuMicrosPerCall;

export function renderReport(input: ReportInput): string {
  const modeName = (mode: Mode): string => (mode === 'sequential' ? 'sequential (1 in flight)' : `${input.inFlight} in flight`);
  const med = (mode: Mode, key: ImplementationKey, pick: Metric): number => median(input.rounds[mode][key].map(pick));
  /** Ratio of medians, a over b. */
  const over = (mode: Mode, a: ImplementationKey, b: ImplementationKey, pick: Metric): number =>
    med(mode, a, pick) / med(mode, b, pick);
  /** a over b within each round: two runs made a few seconds apart, so the spread shows the noise. */
  const perRound = (mode: Mode, a: ImplementationKey, b: ImplementationKey, pick: Metric): string =>
    input.rounds[mode][a].map((s, i) => ratio(pick(s) / pick(input.rounds[mode][b][i]!))).join(', ');

  const lines: string[] = [];
  lines.push(`### RPC echo: shimeji vs raw amqplib — ${input.startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}`);
  lines.push('');
  lines.push(`${input.environment}  `);
  lines.push(input.settings);
  lines.push('');
  lines.push('| Mode | Implementation | calls/s (median) | calls/s (min–max) | p50 ms | p99 ms | Node CPU µs/call | calls checked |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const mode of ['sequential', 'in-flight'] as const) {
    for (const impl of input.implementations) {
      const runs = input.rounds[mode][impl.key];
      const cps = runs.map(callsPerSec);
      lines.push(
        `| ${modeName(mode)} | ${impl.label} | ${int(median(cps))} | ${int(Math.min(...cps))}–${int(Math.max(...cps))} | ` +
          `${ms(med(mode, impl.key, p50))} | ${ms(med(mode, impl.key, (s) => s.p99Ms))} | ` +
          `${int(med(mode, impl.key, cpuPerCall))} | ` +
          `${int(runs.reduce((sum, s) => sum + s.calls, 0))} |`,
      );
    }
  }

  // The targets, against the headline baseline.
  const inFlightRatio = over('in-flight', 'shimeji', 'raw', callsPerSec);
  const seqP50Ratio = over('sequential', 'shimeji', 'raw', p50);
  const verdict = (ok: boolean): string => (ok ? '**PASS**' : '**FAIL**');
  lines.push('');
  lines.push('| shimeji / baseline (ratio of medians) | Value | Target | Result |');
  lines.push('|---|---:|---:|:---:|');
  lines.push(
    `| calls/s, ${input.inFlight} in flight | ${verdictRatio(inFlightRatio)} | ≥ ${TARGETS.inFlightCallsRatio} | ${verdict(inFlightRatio >= TARGETS.inFlightCallsRatio)} |`,
  );
  lines.push(
    `| p50 latency, sequential | ${verdictRatio(seqP50Ratio)} | ≤ ${TARGETS.sequentialP50Ratio} | ${verdict(seqP50Ratio <= TARGETS.sequentialP50Ratio)} |`,
  );
  lines.push(`| calls/s, sequential | ${ratio(over('sequential', 'shimeji', 'raw', callsPerSec))} | – | – |`);
  lines.push(`| p50 latency, ${input.inFlight} in flight | ${ratio(over('in-flight', 'shimeji', 'raw', p50))} | – | – |`);
  for (const mode of ['sequential', 'in-flight'] as const) {
    lines.push(`| Node CPU per call, ${modeName(mode)} | ${ratio(over(mode, 'shimeji', 'raw', cpuPerCall))} | – | – |`);
  }

  // The same gap split in two: total = protocol × framework, exactly, since all are ratios of the same medians.
  const split: [string, Mode, Metric][] = [
    [`calls/s, ${input.inFlight} in flight`, 'in-flight', callsPerSec],
    ['p50 latency, sequential', 'sequential', p50],
    [`Node CPU per call, ${modeName('sequential')}`, 'sequential', cpuPerCall],
    [`Node CPU per call, ${modeName('in-flight')}`, 'in-flight', cpuPerCall],
  ];
  lines.push('');
  lines.push(
    '| Where the gap is (ratio of medians) | shimeji / wire-identical baseline (framework) | ' +
      'wire-identical / headline baseline (protocol) | shimeji / headline baseline (total) |',
  );
  lines.push('|---|---:|---:|---:|');
  for (const [name, mode, pick] of split) {
    lines.push(
      `| ${name} | ${ratio(over(mode, 'shimeji', 'rawNameko', pick))} | ${ratio(over(mode, 'rawNameko', 'raw', pick))} | ` +
        `${ratio(over(mode, 'shimeji', 'raw', pick))} |`,
    );
  }
  lines.push('');
  lines.push('Per-round calls/s ratios (same round):  ');
  lines.push(
    `shimeji / baseline: sequential ${perRound('sequential', 'shimeji', 'raw', callsPerSec)}; ` +
      `${input.inFlight} in flight ${perRound('in-flight', 'shimeji', 'raw', callsPerSec)}  `,
  );
  lines.push(
    `shimeji / wire-identical: sequential ${perRound('sequential', 'shimeji', 'rawNameko', callsPerSec)}; ` +
      `${input.inFlight} in flight ${perRound('in-flight', 'shimeji', 'rawNameko', callsPerSec)}  `,
  );
  lines.push(
    `wire-identical / baseline: sequential ${perRound('sequential', 'rawNameko', 'raw', callsPerSec)}; ` +
      `${input.inFlight} in flight ${perRound('in-flight', 'rawNameko', 'raw', callsPerSec)}`,
  );
  lines.push('');
  return lines.join('\n');
}
