// What the migration integration tests compare: the documents behind A4C names, sorted by
// id, and the expected 1.2.0 documents as this tool writes them.
import type { IndexReader, StoredDocument } from '@a4c-admin/core';
import { loadNdjsonFolder } from './fixtures.test-support.js';
import { CLOUDIFY3_DEFAULT_SETTINGS } from './rules/cloudify3-orchestrator.js';

/** expected-1.2.0 plus what our P1 rule adds (the spec leaves plugin-owned data alone). */
export function expectedWithPluginRule(): Record<string, StoredDocument[]> {
  const documents = loadNdjsonFolder('expected-1.2.0');
  documents.orchestratorconfiguration = documents.orchestratorconfiguration!.map((document) => ({
    ...document,
    source: { ...document.source, configuration: { ...(document.source.configuration as object), ...CLOUDIFY3_DEFAULT_SETTINGS } },
  }));
  return documents;
}

const byId = (a: StoredDocument, b: StoredDocument) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Each index's documents sorted by id, so that views compare whatever order ES returns. */
export function sortedDocuments(documents: Record<string, StoredDocument[]>): Record<string, StoredDocument[]> {
  return Object.fromEntries(Object.entries(documents).map(([name, list]) => [name, [...list].sort(byId)]));
}

/** The documents the A4C names (with the prefix) serve now, sorted by id. */
export async function readView(reader: IndexReader, prefix: string, names: string[]): Promise<Record<string, StoredDocument[]>> {
  const view: Record<string, StoredDocument[]> = {};
  for (const name of names) {
    const documents: StoredDocument[] = [];
    for await (const page of reader.read(`${prefix}${name}`)) documents.push(...page);
    view[name] = documents.sort(byId);
  }
  return view;
}
