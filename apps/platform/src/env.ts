// The environment of `npm start`: the process's own, plus a `.env` file (KEY=VALUE lines) for
// what the process does not set. Minimal on purpose: `#` comments, blank lines, an optional
// `export ` prefix and one pair of surrounding quotes; no interpolation, no multi-line values.
import fs from 'node:fs';

export function parseDotEnv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!;
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2]!;
    else value = value.replace(/\s+#.*$/, '');
    values[match[1]!] = value;
  }
  return values;
}

/** The process environment over the `.env` file's values (the process wins); no file, no change. */
export function environmentWithDotEnv(file: string, env: NodeJS.ProcessEnv = process.env): { env: NodeJS.ProcessEnv; loaded: boolean } {
  if (!fs.existsSync(file)) return { env: { ...env }, loaded: false };
  return { env: { ...parseDotEnv(fs.readFileSync(file, 'utf8')), ...env }, loaded: true };
}
