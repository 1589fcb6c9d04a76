// Plain configuration values (parsed YAML, environment, options) before zod has seen them:
// walking, merging and describing them for messages.
import { redactUrlCredentials } from './config-redact.js';

export type Plain = Record<string, unknown>;

export function deepMerge(base: Plain, over: Plain): Plain {
  const result: Plain = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const existing = result[key];
    result[key] = isPlain(existing) && isPlain(value) ? deepMerge(existing, value) : value;
  }
  return result;
}

export function getPath(value: unknown, path: ReadonlyArray<string>): unknown {
  let current = value;
  for (const segment of path) {
    if (isPlain(current)) current = current[segment];
    else if (Array.isArray(current)) current = current[Number(segment)];
    else return undefined;
  }
  return current;
}

export function setPath(target: Plain, path: string[], value: unknown): void {
  let current = target;
  for (const segment of path.slice(0, -1)) {
    const next = current[segment];
    if (isPlain(next)) current = next;
    else current = current[segment] = {};
  }
  current[path[path.length - 1] as string] = value;
}

export function formatPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text === '' ? segment : `${text}.${segment}`), '');
}

export function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describeType(value: unknown): string {
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

export function showValue(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(redactUrlCredentials(value)) : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
