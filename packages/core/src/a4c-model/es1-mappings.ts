// The ES 1.x form of A4C's index definitions: what A4C's ESIndexMapper created on its
// Elasticsearch 1.x for each mapping type, derived from the ES 8 definitions a4c-admin ships
// (the A4C spec's mappings-<version>.json, whose `_meta` records the ES 1.x index, type, id rule,
// `_all` analyzer and TTL of each type). Used where A4C's data is written in the ES 1.x layout:
// the sample installations and a migration in place on an ES 1.x cluster.
//
// What is read from A4C and what is inferred:
// - read (SPEC §0.2/§0.3 and ESIndexMapper): the index/type table, `_id.path` on the `@Id`
//   field (none for ES-generated ids), `alienScore` long with ESIndexMapper's exact options,
//   `_ttl` on the audit and monitor-event types, `_all` with the `simple` analyzer on tosca
//   elements and applications (`@ESAll`).
// - inferred (from the ES 8 definitions by SPEC §6.2's table, read backwards): leaf field types
//   (`keyword` -> not_analyzed string, `text` -> analyzed string, `index:false` -> `index: no`,
//   date/long/integer/boolean/binary as such, `nested` kept); the fields A4C left to dynamic
//   mapping (es-mapping maps only annotated fields, SPEC §6.1), which the ES 8 definitions turn
//   into `enabled:false` or `flattened` objects (SPEC §6.3), are left out so that ES 1.x maps
//   them dynamically as A4C did; `.keyword` sub-fields (ES 8's dynamic default) are dropped.
import type { IndexDefinition } from '../ports.js';

/** `alienScore` exactly as ESIndexMapper adds it to every type (`addAlienScore`). */
const ALIEN_SCORE = {
  type: 'long',
  index: 'not_analyzed',
  precision_step: 4,
  boost: 1.0,
  store: false,
  ignore_malformed: false,
  include_in_all: false,
};

/** The field carrying a type's `@Id` (its `_id.path`), from the id rule of the ES 8 definition's `_meta`; none for ES-generated ids. */
export function es1IdPath(meta: Record<string, unknown>): string | undefined {
  const rule = String(meta.id ?? '');
  if (rule.startsWith('ES-generated')) return undefined;
  if (rule.startsWith('pluginId')) return 'pluginId';
  if (rule === 'username') return 'username';
  // UUIDs and computed ids (`elementId:archiveVersion`, `name:version`, ...) are all written as `id` by getId().
  return 'id';
}

/** The ES 1.x form of one ES 8 field mapping; undefined for what A4C left to dynamic mapping. */
function es1Field(field: Record<string, unknown>): Record<string, unknown> | undefined {
  const notIndexed = field.index === false ? { index: 'no' } : {};
  switch (field.type) {
    case 'keyword':
      return { type: 'string', index: field.index === false ? 'no' : 'not_analyzed' };
    case 'text':
      return { type: 'string', ...notIndexed };
    case 'long':
    case 'integer':
    case 'boolean':
    case 'date':
      return { type: field.type, ...notIndexed };
    case 'binary':
      return { type: 'binary' };
    case 'nested':
      return { type: 'nested', properties: es1Properties(field.properties) };
    case 'flattened':
      return undefined;
    default:
      // `object` (the default type): a disabled one is an ES 8 proposal for what ES 1.x mapped dynamically.
      if (field.enabled === false) return undefined;
      return { type: 'object', properties: es1Properties(field.properties) };
  }
}

function es1Properties(properties: unknown): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, field] of Object.entries((properties ?? {}) as Record<string, Record<string, unknown>>)) {
    const converted = es1Field(field);
    if (converted) result[name] = converted;
  }
  return result;
}

export interface Es1TypeMappingOptions {
  /**
   * `_ttl.default` of the types A4C gives a TTL (audit, monitor events), e.g. A4C's shipped
   * `1d` (or milliseconds, as ES 1.x reports it); `null` or absent leaves TTL off.
   */
  ttl?: string | number | null;
}

/** The ES 1.x type mapping A4C created for the documents of one ES 8 definition. */
export function es1TypeMapping(definition: IndexDefinition, options: Es1TypeMappingOptions = {}): Record<string, unknown> {
  const mappings = definition.mappings as { properties?: unknown; _meta?: Record<string, unknown> };
  const meta = mappings._meta ?? {};
  const idPath = es1IdPath(meta);
  const ttl = options.ttl ?? null;
  return {
    ...(idPath ? { _id: { path: idPath } } : {}),
    ...(typeof meta.es1_all_analyzer === 'string' ? { _all: { enabled: true, analyzer: meta.es1_all_analyzer } } : {}),
    ...(typeof meta.es1_ttl === 'string' && ttl !== null ? { _ttl: { enabled: true, default: ttl } } : {}),
    properties: { ...es1Properties(mappings.properties), alienScore: ALIEN_SCORE },
  };
}
