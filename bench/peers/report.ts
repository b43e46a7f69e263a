// The markdown of `npm run bench:peers`: one table of results, the target (shimeji ahead of both
// peers at N in flight), and per-round ratios so the noise can be seen.
import { median } from '../rpc/measure';
import { int, ms, ratio, type Rounds, type Stats } from '../shared/harness';

export interface PeersReportInput {
  startedAt: Date;
  environment: string;
  settings: string;
  modes: readonly { mode: string; title: string }[];
  /** The contender in the first place is shimeji, the last one the baseline. */
  contenders: readonly { key: string; label: string }[];
  rounds: Rounds;
  /** The mode the target is about. */
  targetMode: string;
}

export function renderPeersReport(input: PeersReportInput): string {
  const shimeji = input.contenders[0]!;
  const baseline = input.contenders[input.contenders.length - 1]!;
  const peers = input.contenders.slice(1, -1);
  const runs = (mode: string, key: string): Stats[] => input.rounds[mode]![key]!;
  const med = (mode: string, key: string, pick: (s: Stats) => number): number => median(runs(mode, key).map(pick));
  const cps = (s: Stats): number => s.callsPerSec;

  const lines: string[] = [];
  lines.push(`### RPC echo: shimeji vs Moleculer vs NestJS vs raw amqplib — ${input.startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}`);
  lines.push('');
  lines.push(`${input.environment}  `);
  lines.push(input.settings);
  lines.push('');
  lines.push(`| Mode | Implementation | calls/s (median) | calls/s (min–max) | / ${baseline.label} | p50 ms | p99 ms | Node CPU µs/call | broker CPU µs/call | calls checked |`);
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const { mode, title } of input.modes) {
    for (const c of input.contenders) {
      const values = runs(mode, c.key).map(cps);
      lines.push(
        `| ${title} | ${c.label} | ${int(median(values))} | ${int(Math.min(...values))}–${int(Math.max(...values))} | ` +
          `${ratio(med(mode, c.key, cps) / med(mode, baseline.key, cps))} | ${ms(med(mode, c.key, (s) => s.p50Ms))} | ` +
          `${ms(med(mode, c.key, (s) => s.p99Ms))} | ${int(med(mode, c.key, (s) => s.cpuMicrosPerCall))} | ` +
          `${int(med(mode, c.key, (s) => s.brokerMicrosPerCall))} | ` +
          `${int(runs(mode, c.key).reduce((sum, s) => sum + s.calls, 0))} |`,
      );
    }
  }

  const target = input.modes.find((m) => m.mode === input.targetMode)!;
  lines.push('');
  lines.push(`| shimeji / peer, calls/s (ratio of medians) | ${input.modes.map((m) => m.title).join(' | ')} | Target (${target.title}) | Result |`);
  lines.push(`|---|${input.modes.map(() => '---:|').join('')}---:|:---:|`);
  for (const peer of peers) {
    const values = input.modes.map((m) => med(m.mode, shimeji.key, cps) / med(m.mode, peer.key, cps));
    const atTarget = med(target.mode, shimeji.key, cps) / med(target.mode, peer.key, cps);
    lines.push(
      `| shimeji / ${peer.label} | ${values.map((v) => v.toFixed(3)).join(' | ')} | > 1 | ${atTarget > 1 ? '**PASS**' : '**FAIL**'} |`,
    );
  }

  lines.push('');
  lines.push('Per-round calls/s ratios (same round):  ');
  const others = [...peers, baseline];
  for (const other of others) {
    const perMode = input.modes.map(({ mode, title }) => {
      const mine = runs(mode, shimeji.key);
      const theirs = runs(mode, other.key);
      return `${title} ${mine.map((s, i) => ratio(s.callsPerSec / theirs[i]!.callsPerSec)).join(', ')}`;
    });
    lines.push(`shimeji / ${other.label}: ${perMode.join('; ')}  `);
  }
  return lines.join('\n');
}
