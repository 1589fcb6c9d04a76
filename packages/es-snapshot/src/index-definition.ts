// Reads an index's mappings and the settings that can be given again to `PUT /<index>`:
// those Elasticsearch generates itself (uuid, version, creation date...) are left out.
import { A4cAdminError, type IndexDefinition } from '@a4c-admin/core';
import type { Client } from '@elastic/elasticsearch';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

/** Index settings that Elasticsearch sets itself and refuses (or should not get) at creation. */
const GENERATED_SETTINGS = [
  'uuid',
  'version',
  'creation_date',
  'creation_date_string',
  'provided_name',
  'resize',
  'shrink',
  'history',
  'verified_before_close',
  'verified_read_only',
  'blocks',
  'routing.allocation.initial_recovery',
  'store.snapshot',
  'frozen',
  'search.throttled',
];

function withoutGenerated(indexSettings: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...indexSettings };
  for (const name of GENERATED_SETTINGS) {
    const path = name.split('.');
    let holder: Record<string, unknown> | undefined = result;
    for (const part of path.slice(0, -1)) {
      const child: unknown = holder?.[part];
      if (typeof child !== 'object' || child === null) {
        holder = undefined;
        break;
      }
      // Copy on the way down: the answer object may be shared.
      holder[part] = { ...(child as Record<string, unknown>) };
      holder = holder[part] as Record<string, unknown>;
    }
    if (holder) delete holder[path[path.length - 1]!];
  }
  return result;
}

/**
 * The mappings and re-appliable settings of an index, or of the index an alias points at.
 * Aliases are left out on purpose: re-applying them to a copy would point an A4C name at
 * two indices at once; the caller decides where aliases go.
 */
export async function readIndexDefinition(client: Client, index: string): Promise<IndexDefinition & { concreteIndex: string }> {
  let answer: Record<string, { mappings?: Record<string, unknown>; settings?: { index?: Record<string, unknown> } }>;
  try {
    answer = (await client.indices.get({ index, flat_settings: false })) as typeof answer;
  } catch (error) {
    throw wrapElasticsearchError(error, `reading the definition of ${index}`);
  }
  const names = Object.keys(answer).sort();
  if (names.length !== 1) {
    throw new A4cAdminError('PRECONDITION_FAILED', `${index} points at ${names.length} indices (${names.join(', ')}); one definition was expected.`, {
      hint: 'Give the name of one concrete index, or fix the alias so that it points at one index.',
      details: { index, indices: names },
    });
  }
  const concreteIndex = names[0]!;
  const found = answer[concreteIndex]!;
  return {
    concreteIndex,
    mappings: found.mappings ?? {},
    settings: { index: withoutGenerated(found.settings?.index ?? {}) },
  };
}
