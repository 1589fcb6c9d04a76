// A checksum of a step (rules, versions, revision, mappings), recorded in the data-version
// marker so that an operator can tell which rules produced the data.
import { canonicalHash } from '@a4c-admin/core/internal';
import type { MigrationStep } from './step.js';

/** SHA-256 (hex) of the canonical description of a step. */
export function stepChecksum(step: MigrationStep): string {
  const description = {
    from: step.from,
    to: step.to,
    revision: step.revision,
    rules: step.rules.map((rule) => rule.id),
    indices: Object.fromEntries(
      Object.entries(step.indices).map(([name, migration]) => [name, { source: migration.source ?? null, transformed: migration.transform !== undefined }]),
    ),
    created: [...step.created].sort(),
    dropped: [...step.dropped].sort(),
    mappings: step.mappings,
  };
  return canonicalHash(description);
}
