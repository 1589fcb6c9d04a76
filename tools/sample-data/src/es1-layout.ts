// The sample A4C 1.1.0 installation as A4C 1.1.0 itself stored it on its Elasticsearch 1.x:
// multi-type indices (SPEC §0.3, the model's ES1_STORAGE_LAYOUT), ids set by the mapping's
// `_id.path` (SPEC §0.2), and the type mappings ESIndexMapper 1.1.0 created, derived from
// the ES 8 proposal of data/mappings-1.1.0.json. Pure: no server here (see load-es1-sample-indices.ts).
//
// The type mappings come from core's es1TypeMapping (a4c-model/es1-mappings.ts), which says what
// is read from A4C and what is inferred. Besides:
// - not declared: the `case_insensitive_sort` analyzer (keyword tokenizer + lowercase). A4C
//   declares it from 1.4.0 on (ApplicationEnvironment, Orchestrator, `@ESObject(analyzerDefinitions)`);
//   neither 1.1.0 nor 1.2.0 has it, so a 1.1.0 installation carries no custom analysis settings
//   unless `caseInsensitiveSort` asks for them (for tests of index settings).
// - ES-generated ids (audit traces, 1.1.0's audit configuration): the sample's id is kept, so that
//   every document can be found and compared by id.
import { DATA_VERSION_1_1_0, ES1_STORAGE_LAYOUT, type Es1TypeLocation } from '@a4c-admin/core';
import { es1TypeMapping } from '@a4c-admin/core/internal';
import type { SampleDocument, SampleMappings } from './sample-files.js';

/** One document as A4C 1.1.0 stores it on ES 1.x: index (with the prefix), type, id, source. */
export interface Es1Document {
  index: string;
  type: string;
  id: string;
  source: Record<string, unknown>;
}

/** The body of `PUT /<index>` on ES 1.x: index settings and one mapping per type. */
export interface Es1IndexDefinition {
  settings: Record<string, unknown>;
  mappings: Record<string, Record<string, unknown>>;
}

export interface Es1LayoutOptions {
  /** Prefix of the index names; none by default. */
  prefix?: string;
  /** `_ttl.default` of the audit and monitor-event types: A4C 1.1.0's shipped `1d`; `null` leaves TTL off. */
  ttl?: string | null;
  /** Declare A4C 1.4+'s `case_insensitive_sort` analyzer on the indices whose classes declare it there (not 1.1.0). */
  caseInsensitiveSort?: boolean;
  /** Replicas of each index: 0 keeps a single node green. */
  replicas?: number;
  /** Primary shards of each index: 1 by default (an index created without settings on ES 1.x gets 5). */
  shards?: number;
}

/** The layout rows of 1.1.0: where each sample index (the ES 8 name) lives on ES 1.x. */
export function es1LocationOf(es8Index: string): Es1TypeLocation {
  const location = ES1_STORAGE_LAYOUT[DATA_VERSION_1_1_0].find((row) => row.es8Index === es8Index);
  if (!location) throw new Error(`sample index "${es8Index}" has no ES 1.x location in the 1.1.0 storage layout`);
  return location;
}

/** The sample documents in the ES 1.x layout, in the order given (ids as in the sample files). */
export function es1SampleDocuments(documents: readonly SampleDocument[], prefix = ''): Es1Document[] {
  return documents.map((document) => {
    const location = es1LocationOf(document.index);
    return { index: prefix + location.es1Index, type: location.es1Type, id: document.id, source: document.source };
  });
}

/** Classes that declare `case_insensitive_sort` from A4C 1.4.0 on (their ES 8 index names). */
const CASE_INSENSITIVE_SORT_INDICES = ['applicationenvironment', 'orchestrator'];

const CASE_INSENSITIVE_SORT = { analysis: { analyzer: { case_insensitive_sort: { type: 'custom', tokenizer: 'keyword', filter: ['lowercase'] } } } };

/** Every ES 1.x index of the 1.1.0 layout (with the prefix) and its definition, types grouped. */
export function es1IndexDefinitions(mappings: SampleMappings, options: Es1LayoutOptions = {}): Record<string, Es1IndexDefinition> {
  const prefix = options.prefix ?? '';
  const ttl = options.ttl === undefined ? '1d' : options.ttl;
  const indices: Record<string, Es1IndexDefinition> = {};
  for (const location of ES1_STORAGE_LAYOUT[DATA_VERSION_1_1_0]) {
    const definition = mappings[location.es8Index];
    if (!definition) throw new Error(`no sample mapping for "${location.es8Index}" (ES 1.x ${location.es1Index}/${location.es1Type})`);
    const name = prefix + location.es1Index;
    indices[name] ??= { settings: { number_of_shards: options.shards ?? 1, number_of_replicas: options.replicas ?? 0 }, mappings: {} };
    indices[name].mappings[location.es1Type] = es1TypeMapping(definition, { ttl });
    if (options.caseInsensitiveSort && CASE_INSENSITIVE_SORT_INDICES.includes(location.es8Index)) {
      indices[name].settings = { ...indices[name].settings, ...CASE_INSENSITIVE_SORT };
    }
  }
  return indices;
}
