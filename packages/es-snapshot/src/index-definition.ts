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

type GetIndexAnswer = Record<string, { aliases?: Record<string, unknown>; mappings?: Record<string, unknown>; settings?: { index?: Record<string, unknown> } }>;

/** What the export records of an index: its definition, the concrete index behind the name, its aliases and primary shards. */
export interface IndexDescription {
  concreteIndex: string;
  mappings: IndexDefinition['mappings'];
  settings: IndexDefinition['settings'];
  aliases: string[];
  /** Primary shards (1 when the server does not say): how many slices a read may use. */
  shards: number;
}

function describe(answer: GetIndexAnswer, name: string): IndexDescription {
  // The answer is keyed by concrete index: a name is one of them, or an alias of exactly one.
  const names = name in answer ? [name] : Object.keys(answer).filter((concrete) => name in (answer[concrete]?.aliases ?? {}));
  if (names.length !== 1) {
    throw new A4cAdminError('PRECONDITION_FAILED', `${name} points at ${names.length} indices (${names.sort().join(', ')}); one definition was expected.`, {
      hint: 'Give the name of one concrete index, or fix the alias so that it points at one index.',
      details: { index: name, indices: names },
    });
  }
  const concreteIndex = names[0]!;
  const found = answer[concreteIndex]!;
  const indexSettings = found.settings?.index ?? {};
  return {
    concreteIndex,
    mappings: found.mappings ?? {},
    settings: { index: withoutGenerated(indexSettings) },
    aliases: Object.keys(found.aliases ?? {}).sort(),
    shards: Math.max(Number(indexSettings.number_of_shards) || 1, 1),
  };
}

async function getIndices(client: Client, indices: readonly string[], context: string): Promise<GetIndexAnswer> {
  try {
    return (await client.indices.get({ index: indices as string[], flat_settings: false })) as GetIndexAnswer;
  } catch (error) {
    throw wrapElasticsearchError(error, context);
  }
}

/** Names a request line holds at most: a whole A4C installation is ~40, a URL stays far below 4 KB. */
const NAMES_PER_REQUEST = 100;

/**
 * The descriptions of several indices (or aliases) in one `GET /<a>,<b>,...` (every generation
 * from 1.x answers it with mappings, settings and aliases). When it fails (a missing name fails
 * the whole request), each name is asked alone so that the error names the index at fault.
 */
export async function describeIndices(client: Client, indices: readonly string[]): Promise<Map<string, IndexDescription>> {
  const described = new Map<string, IndexDescription>();
  for (let start = 0; start < indices.length; start += NAMES_PER_REQUEST) {
    const names = indices.slice(start, start + NAMES_PER_REQUEST);
    const answer = await getIndices(client, names, `reading the definitions of ${names.length} indices`).catch(() => undefined);
    for (const name of names) {
      described.set(name, describe(answer ?? (await getIndices(client, [name], `reading the definition of ${name}`)), name));
    }
  }
  return described;
}

/**
 * The mappings and re-appliable settings of an index, or of the index an alias points at.
 * Aliases are left out on purpose: re-applying them to a copy would point an A4C name at
 * two indices at once; the caller decides where aliases go.
 */
export async function readIndexDefinition(client: Client, index: string): Promise<IndexDefinition & { concreteIndex: string }> {
  const { concreteIndex, mappings, settings } = describe(await getIndices(client, [index], `reading the definition of ${index}`), index);
  return { concreteIndex, mappings, settings };
}
