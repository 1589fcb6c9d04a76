// Parsers for option values: a bad value is a usage error (exit 2) naming the option.
import { parseRetentionDuration } from '@a4c-admin/core/internal';
import { InvalidArgumentError } from 'commander';

/** `a,b , c` -> ['a', 'b', 'c']; empty entries are refused. */
export function commaList(value: string): string[] {
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new InvalidArgumentError('expected a comma-separated list without empty entries.');
  return items;
}

export function nonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number (0, 1, 2, ...).');
  return Number(value);
}

/** A restic-style duration (`1y2m3d4h`, `30d`), checked here and passed on as written. */
export function retentionDuration(value: string): string {
  try {
    parseRetentionDuration(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return value;
}

/** An A4C data version as the seed writes it: 1.1.0. */
export function dataVersion(value: string): string {
  if (!/^\d+\.\d+\.\d+$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a version like 1.1.0.`);
  return value;
}

/** An Elasticsearch address: an http(s) URL, or `host:port` meaning http. */
export function httpUrl(value: string): string {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim()) ? value.trim() : `http://${value.trim()}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError(`expected an http:// or https:// address, e.g. https://es8:9200.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new InvalidArgumentError('expected an http:// or https:// address, e.g. https://es8:9200.');
  return url;
}

/** Help text listing examples, appended to a command's --help. */
export function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}
