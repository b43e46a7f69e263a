// The environment of `npm start`: the process's own, plus a `.env` file (KEY=VALUE lines) for
// what the process does not set. Node's own parser reads the file (the one `node --env-file`
// uses), so the file means here what it means to Node: `#` comments, `export ` prefixes, quotes,
// multi-line values in double quotes; no interpolation.
import fs from 'node:fs';
import { parseEnv } from 'node:util';

export function parseDotEnv(text: string): Record<string, string> {
  return { ...parseEnv(text) } as Record<string, string>;
}

/** The process environment over the `.env` file's values (the process wins); no file, no change. */
export function environmentWithDotEnv(file: string, env: NodeJS.ProcessEnv = process.env): { env: NodeJS.ProcessEnv; loaded: boolean } {
  if (!fs.existsSync(file)) return { env: { ...env }, loaded: false };
  return { env: { ...parseDotEnv(fs.readFileSync(file, 'utf8')), ...env }, loaded: true };
}
