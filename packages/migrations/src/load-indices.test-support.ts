// Test helper: loads documents into plain indices created with a version's mappings, as an A4C
// installation of that version has them; several at a time, since index creation dominates.
import type { IndexWriter, StoredDocument } from '@a4c-admin/core';
import { mapConcurrently } from '@a4c-admin/core/internal';
import { mappingsForVersion } from './mappings/index.js';

export async function loadPlainIndices(writer: IndexWriter, prefix: string, version: string, documents: Record<string, StoredDocument[]>): Promise<void> {
  const mappings = mappingsForVersion(version)!;
  await mapConcurrently(Object.entries(documents), 4, async ([name, list]) => {
    await writer.create(`${prefix}${name}`, { mappings: mappings[name]!.mappings });
    await writer.write(
      `${prefix}${name}`,
      (async function* () {
        yield list;
      })(),
    );
  });
}
