// Deterministic variants of the application documents: copy N of the sample application
// (its versions, environments, topology, deployments, audit traces) gets new ids, and
// every reference between them follows, so a multiplied data set stays consistent.

import type { SampleDocument } from './sample-files.js';
import { derivedUuid } from './seeded-random.js';

/** Indices whose documents belong to one application and are copied per variant. */
export const MULTIPLIED_INDICES = [
  'application',
  'applicationversion',
  'applicationenvironment',
  'topology',
  'deployment',
  'deploymenttopology',
  'deployedtopologies',
  'audittrace',
] as const;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const CONTAINS_UUID = new RegExp(UUID.source);

/** The documents of variant `copy` (1, 2, ...) of the application family of `documents`. */
export function multiplyDocuments(documents: readonly SampleDocument[], copy: number): SampleDocument[] {
  const family = documents.filter((document) => isApplicationDocument(document));
  // Only the family's own ids are rewritten: types, csars, orchestrators and locations
  // stay shared, as in a real installation where many applications use the same types.
  const ownIds = new Set<string>();
  for (const document of family) for (const match of document.id.matchAll(UUID)) ownIds.add(match[0]);
  const applicationNames = new Map<string, string>();
  for (const document of family) {
    if (document.index === 'application' && typeof document.source.name === 'string') {
      applicationNames.set(document.source.name, `${document.source.name}-${String(copy).padStart(4, '0')}`);
    }
  }
  const rewrite = (text: string): string => {
    let result = text.replace(UUID, (uuid) => (ownIds.has(uuid) ? derivedUuid(`${uuid}#${copy}`) : uuid));
    for (const [name, renamed] of applicationNames) {
      if (result === name || result.startsWith(`${name}-`)) result = renamed + result.slice(name.length);
    }
    return result;
  };
  return family.map((document) => ({
    index: document.index,
    // Ids without a UUID (ES random ids of audit traces) get a suffix instead.
    id: CONTAINS_UUID.test(document.id) ? rewrite(document.id) : `${document.id}_${copy}`,
    source: rewriteStrings(document.source, rewrite) as Record<string, unknown>,
  }));
}

/** The samples followed by their copies 1..`multiply`: every document a loader given `multiply` writes, in its order. */
export function withMultipliedCopies(documents: readonly SampleDocument[], multiply: number): SampleDocument[] {
  return [...documents, ...Array.from({ length: multiply }, (_, copy) => multiplyDocuments(documents, copy + 1)).flat()];
}

function isApplicationDocument(document: SampleDocument): boolean {
  if (!(MULTIPLIED_INDICES as readonly string[]).includes(document.index)) return false;
  // Topologies of topology templates are shared, not per application.
  if (document.index === 'topology') return document.source.delegateType === 'application';
  return true;
}

function rewriteStrings(value: unknown, rewrite: (text: string) => string): unknown {
  if (typeof value === 'string') return rewrite(value);
  if (Array.isArray(value)) return value.map((item) => rewriteStrings(item, rewrite));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [rewrite(key), rewriteStrings(item, rewrite)]));
  }
  return value;
}
