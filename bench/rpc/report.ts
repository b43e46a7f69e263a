// Turns the per-round numbers into the markdown printed and saved as last-run.md.
import { median, type RunStats } from './measure';

export type Mode = 'sequential' | 'in-flight';

export interface Implementation {
  key: 'shimeji' | 'raw';
  label: string;
}

export interface ReportInput {
  startedAt: Date;
  environment: string;
  settings: string;
  inFlight: number;
  implementations: readonly Implementation[];
  /** rounds[mode][implementation key] = one RunStats per round, in round order. */
  rounds: Record<Mode, Record<Implementation['key'], RunStats[]>>;
}

export const TARGETS = { inFlightCallsRatio: 0.8, sequentialP50Ratio: 1.2 } as const;

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const ratio = (n: number): string => n.toFixed(2);
// Three decimals where a verdict hangs on the value, so 1.204 does not print as a failing 1.20.
const verdictRatio = (n: number): string => n.toFixed(3);

export function renderReport(input: ReportInput): string {
  const modeName = (mode: Mode): string => (mode === 'sequential' ? 'sequential (1 in flight)' : `${input.inFlight} in flight`);
  const med = (mode: Mode, key: Implementation['key'], pick: (s: RunStats) => number): number =>
    median(input.rounds[mode][key].map(pick));
  const perRound = (mode: Mode, pick: (s: RunStats) => number): number[] =>
    input.rounds[mode].shimeji.map((s, i) => pick(s) / pick(input.rounds[mode].raw[i]!));

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
      const cps = runs.map((s) => s.callsPerSec);
      lines.push(
        `| ${modeName(mode)} | ${impl.label} | ${int(median(cps))} | ${int(Math.min(...cps))}–${int(Math.max(...cps))} | ` +
          `${ms(med(mode, impl.key, (s) => s.p50Ms))} | ${ms(med(mode, impl.key, (s) => s.p99Ms))} | ` +
          `${int(med(mode, impl.key, (s) => s.cpuMicrosPerCall))} | ` +
          `${int(runs.reduce((sum, s) => sum + s.calls, 0))} |`,
      );
    }
  }

  const cpsRatio = (mode: Mode): number => med(mode, 'shimeji', (s) => s.callsPerSec) / med(mode, 'raw', (s) => s.callsPerSec);
  const p50Ratio = (mode: Mode): number => med(mode, 'shimeji', (s) => s.p50Ms) / med(mode, 'raw', (s) => s.p50Ms);
  const inFlightRatio = cpsRatio('in-flight');
  const seqP50Ratio = p50Ratio('sequential');
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
  lines.push(`| calls/s, sequential | ${ratio(cpsRatio('sequential'))} | – | – |`);
  lines.push(`| p50 latency, ${input.inFlight} in flight | ${ratio(p50Ratio('in-flight'))} | – | – |`);
  for (const mode of ['sequential', 'in-flight'] as const) {
    const cpu = med(mode, 'shimeji', (s) => s.cpuMicrosPerCall) / med(mode, 'raw', (s) => s.cpuMicrosPerCall);
    lines.push(`| Node CPU per call, ${modeName(mode)} | ${ratio(cpu)} | – | – |`);
  }
  lines.push('');
  // Paired per-round ratios show how much of a difference is noise: rounds ran back to back.
  lines.push('Per-round calls/s ratios (shimeji / baseline, same round):  ');
  lines.push(`sequential ${perRound('sequential', (s) => s.callsPerSec).map(ratio).join(', ')};  `);
  lines.push(`${input.inFlight} in flight ${perRound('in-flight', (s) => s.callsPerSec).map(ratio).join(', ')}`);
  lines.push('');
  return lines.join('\n');
}
