// Durations as people write them in config files ("500ms", "10s", "1m", "2h") and as they are
// shown back in queue names and messages, so that `1m` in a config reads `1m` on the broker.

const UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNITS_MS;

/**
 * Milliseconds from a number (already milliseconds) or a string such as `250ms`, `10s`, `1m`,
 * `1h`, `1d` or `1500`; `undefined` when it is not a duration of zero or more.
 */
export function parseDuration(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(raw);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNITS_MS[(match[2] ?? 'ms') as Unit]);
}

/** The largest unit that divides the duration exactly: 60000 is `1m`, 1500 is `1500ms`. */
export function formatDuration(ms: number): string {
  const units = Object.entries(UNITS_MS).reverse() as [Unit, number][];
  for (const [unit, size] of units) if (ms > 0 && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
