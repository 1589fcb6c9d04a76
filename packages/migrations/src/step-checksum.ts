// A checksum of a step (rules, versions, revision, mappings), recorded in the data-version
// marker so that an operator can tell which rules produced the data.
import { createHash } from 'node:crypto';
import type { MigrationStep } from './step.js';

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 (hex) of the canonical description of a step. */
export function stepChecksum(step: MigrationStep): string {
  const description = {
    from: step.from,
    to: step.to,
    revision: step.revision,
    rules: step.rules.map((rule) => rule.id),
    indices: Object.fromEntries(
      Object.entries(step.indices).map(([name, migration]) => [
        name,
        { source: migration.source ?? null, transformed: migration.transform !== undefined },
      ]),
    ),
    created: [...step.created].sort(),
    dropped: [...step.dropped].sort(),
    mappings: step.mappings,
  };
  return createHash('sha256').update(canonicalJson(description)).digest('hex');
}
