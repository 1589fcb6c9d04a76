// What the export-folder tests compare: the documents of a migrated export folder, read back
// from its `<name>.ndjson` files.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredDocument } from '@a4c-admin/core';
import { parseNdjsonDocuments } from './ndjson-document-parser.js';

/** The documents of each `<name>.ndjson` of `folder`, by name; fails on a line naming another index than its file. */
export async function readMigratedFolder(folder: string): Promise<Record<string, StoredDocument[]>> {
  const result: Record<string, StoredDocument[]> = {};
  for (const file of (await readdir(folder)).filter((name) => name.endsWith('.ndjson'))) {
    const index = file.replace(/\.ndjson$/, '');
    const parsed = parseNdjsonDocuments(await readFile(join(folder, file), 'utf8'), file);
    const stray = parsed.find((entry) => entry.index !== index);
    if (stray) throw new Error(`${file} holds a document of index "${stray.index}" (id ${stray.document.id})`);
    result[index] = parsed.map((entry) => entry.document);
  }
  return result;
}
