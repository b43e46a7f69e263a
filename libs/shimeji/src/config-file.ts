// Config files in YAML, with environment variables: `${VAR}` or `${VAR:default}` (Nameko's
// syntax). A value that is one placeholder alone takes the type its text reads as in YAML, so
// `maxWorkers: ${MAX_WORKERS:10}` is the number 10.
import fs from 'node:fs';
import YAML from 'yaml';
import type { ServiceConfig } from './config';

const PLACEHOLDER = /\$\{([^}{]+)\}/g;

export class ConfigError extends Error {}

function substitute(value: unknown, env: NodeJS.ProcessEnv, where = ''): unknown {
  if (typeof value === 'string') return substituteString(value, env, where);
  if (Array.isArray(value)) return value.map((item, i) => substitute(item, env, `${where}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, env, where ? `${where}.${k}` : k)]));
  }
  return value;
}

function substituteString(text: string, env: NodeJS.ProcessEnv, where: string): unknown {
  const lone = /^\$\{([^}{]+)\}$/.exec(text);
  const resolve = (expression: string): string => {
    const colon = expression.indexOf(':');
    const name = (colon < 0 ? expression : expression.slice(0, colon)).trim();
    const fallback = colon < 0 ? undefined : expression.slice(colon + 1);
    const found = env[name];
    if (found !== undefined) return found;
    if (fallback !== undefined) return fallback;
    throw new ConfigError(`config ${where || 'value'} needs the environment variable ${name}, which is not set and has no default`);
  };
  if (lone) {
    const resolved = resolve(lone[1]!);
    try {
      return YAML.parse(resolved) ?? resolved;
    } catch {
      return resolved;
    }
  }
  return text.replace(PLACEHOLDER, (_match, expression: string) => resolve(expression));
}

export function parseConfig(yamlText: string, env: NodeJS.ProcessEnv = process.env, source = 'config'): ServiceConfig {
  let parsed: unknown;
  try {
    parsed = YAML.parse(yamlText);
  } catch (error) {
    throw new ConfigError(`${source} is not valid YAML: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`${source} must be a mapping of keys to values`);
  return substitute(parsed, env) as ServiceConfig;
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseConfig(text, env, path);
}
