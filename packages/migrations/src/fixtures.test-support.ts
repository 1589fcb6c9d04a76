// Test helpers: the spec's sample (1.1.0) and expected (1.2.0) documents copied into test-fixtures/.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StoredDocument } from '@a4c-admin/core';
import { parseNdjsonDocuments } from './export-folder/ndjson-document-parser.js';

export const FIXTURES_FOLDER = fileURLToPath(new URL('../test-fixtures/', import.meta.url));

/** Documents by index name from a folder of bulk NDJSON files named <index>.ndjson. */
export function loadNdjsonFolder(folder: 'samples-1.1.0' | 'expected-1.2.0'): Record<string, StoredDocument[]> {
  const result: Record<string, StoredDocument[]> = {};
  const path = `${FIXTURES_FOLDER}${folder}/`;
  for (const file of readdirSync(path)
    .filter((name) => name.endsWith('.ndjson'))
    .sort()) {
    result[file.replace(/\.ndjson$/, '')] = parseNdjsonDocuments(readFileSync(path + file, 'utf8'), file).map((parsed) => parsed.document);
  }
  return result;
}
