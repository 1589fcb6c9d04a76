// Shared by the integration tests: realistic A4C-like documents, and a hash of what an
// index holds (types, ids, routings, sources) that does not depend on the order of reading.
import { createHash } from 'node:crypto';
import type { StoredDocument } from '@a4c-admin/core';

/** Keys sorted at every level, so that two equal documents serialize the same way. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonicalJson(child)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** One hash over every document, independent of order. */
export function hashDocuments(documents: StoredDocument[]): string {
  const lines = documents
    .map((document) => `${document.type ?? ''}\u0000${document.id}\u0000${document.routing ?? ''}\u0000${canonicalJson(document.source)}`)
    .sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** `count` A4C-like documents (~1 KB), every seventh routed, some with unicode and escapes. */
export function makeDocuments(count: number, offset = 0): StoredDocument[] {
  const documents: StoredDocument[] = [];
  for (let index = offset; index < offset + count; index++) {
    const document: StoredDocument = {
      id: `topology-${index}:${index % 3 === 0 ? 'é/ü "q"' : 'v'}`,
      source: {
        id: `topology-${index}`,
        archiveName: `archive-${index % 50}`,
        archiveVersion: `1.${index % 7}.0-SNAPSHOT`,
        workspace: index % 2 ? 'ALIEN_GLOBAL_WORKSPACE' : 'app:demo',
        description: `Topology number ${index} with a line\nbreak, a tab\t and a quote " and unicode ✓`,
        creationDate: 1_600_000_000_000 + index,
        nodeTemplates: Array.from({ length: 4 }, (_, node) => ({
          name: `node_${node}`,
          type: `tosca.nodes.Compute`,
          properties: { cpu: node + 1, mem: `${node * 512} MB`, ratio: node + 0.25 },
        })),
        tags: [{ name: 'owner', value: `user${index % 11}` }],
        empty: null,
      },
    };
    if (index % 7 === 0) document.routing = `route-${index % 5}`;
    documents.push(document);
  }
  return documents;
}

export async function* pagesOf<T>(items: T[], size: number): AsyncGenerator<T[]> {
  for (let index = 0; index < items.length; index += size) yield items.slice(index, index + size);
}
