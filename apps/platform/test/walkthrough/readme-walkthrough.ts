// The README's curl walkthrough as a script a test can run: every ```sh block between the
// walkthrough markers, in order, and for each curl command the `# →` line printed under it.
import fs from 'node:fs';

export const START_MARKER = '<!-- walkthrough';
export const END_MARKER = '<!-- end of walkthrough -->';
const EXPECTATION = /^# → (.*)$/;

export interface CurlStep {
  /** The command line as printed. */
  command: string;
  /** What the README says it prints, as a pattern (`…` matches anything), if it says. */
  expected?: string;
}

export interface Walkthrough {
  script: string;
  curls: CurlStep[];
}

export function readWalkthrough(readmeFile: string): Walkthrough {
  const text = fs.readFileSync(readmeFile, 'utf8');
  const start = text.indexOf(START_MARKER);
  const end = text.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`${readmeFile} has no walkthrough between ${START_MARKER} and ${END_MARKER}`);
  const blocks = [...text.slice(start, end).matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  if (blocks.length === 0) throw new Error('the walkthrough has no sh blocks');
  const lines = blocks.join('').split('\n');
  const curls: CurlStep[] = [];
  lines.forEach((line, i) => {
    if (line.trimStart().startsWith('#') || !/\bcurl\s/.test(line)) return;
    if (line.trimEnd().endsWith('\\')) throw new Error(`continued lines are not supported: ${line}`);
    if ((line.match(/\bcurl\s/g) ?? []).length > 1) throw new Error(`one curl per line, please: ${line}`);
    const next = EXPECTATION.exec(lines[i + 1] ?? '');
    curls.push({ command: line, ...(next ? { expected: expectationPattern(next[1]!) } : {}) });
  });
  return { script: lines.join('\n'), curls };
}

/** `{"id":"…","n":1,…}` → a pattern matching the whole reply, `…` standing for anything. */
export function expectationPattern(printed: string): string {
  const parts = printed.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `^${parts.join('.*?')}$`;
}
