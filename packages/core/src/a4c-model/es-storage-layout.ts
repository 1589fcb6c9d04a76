// Where A4C documents live in each Elasticsearch generation. A4C itself ran on ES 1.x, where
// one index held several mapping types; ES 8 has no types, so each former type is its own index,
// named after the type (the model's A4C index names), except `deployedtopologies` whose type
// `deploymenttopology` collides with the `deploymenttopology` index: the ES 1.x index name is kept.
// Source: the A4C spec, §0.3 "Indices, types and ids (ES 1.x) and proposed ES 8 index names".
// Which layout a cluster uses follows from its Elasticsearch version: A4C's own ES 1.x layout
// wherever an index can hold several types (1.x-5.x), one index per former type from 6.x.
import { DATA_VERSION_1_1_0, DATA_VERSION_1_2_0, type DataVersion, KNOWN_DATA_VERSIONS } from './data-versions.js';

/** One ES 1.x mapping type of A4C and the ES 8 index its documents go to. Names are without the configured prefix. */
export interface Es1TypeLocation {
  /** The ES 1.x index, e.g. `toscaelement`. */
  readonly es1Index: string;
  /** The ES 1.x mapping type in that index, e.g. `indexednodetype`. */
  readonly es1Type: string;
  /** The ES 8 index (an A4C index name of the same data version), e.g. `indexednodetype`. */
  readonly es8Index: string;
}

/** The ES 1.x -> ES 8 layout of a data version: one row per ES 1.x type that holds documents. */
export type Es1StorageLayout = readonly Es1TypeLocation[];

/** A row whose type and ES 8 index carry the name of the ES 1.x index (one type per index). */
function alone(index: string): Es1TypeLocation {
  return { es1Index: index, es1Type: index, es8Index: index };
}

/** A row of a type that shares its ES 1.x index with others: the ES 8 index is named after the type. */
function typeOf(es1Index: string, es1Type: string): Es1TypeLocation {
  return { es1Index, es1Type, es8Index: es1Type };
}

// Types registered for searches only, which hold no documents, have no row:
// toscaelement/indexedartifacttoscaelement, toscaelement/indexedtoscaelement,
// deploymentmonitorevents/abstractmonitorevent, suggestion/abstractsuggestionentry.
const LAYOUT_1_1_0: Es1StorageLayout = [
  typeOf('toscaelement', 'indexednodetype'),
  typeOf('toscaelement', 'indexedcapabilitytype'),
  typeOf('toscaelement', 'indexedrelationshiptype'),
  typeOf('toscaelement', 'indexedartifacttype'),
  typeOf('toscaelement', 'indexeddatatype'),
  alone('application'),
  alone('applicationversion'),
  alone('applicationenvironment'),
  alone('topology'),
  alone('csar'),
  alone('plugin'),
  alone('pluginconfiguration'),
  alone('topologytemplate'),
  alone('topologytemplateversion'),
  alone('metapropconfiguration'),
  alone('orchestrator'),
  alone('orchestratorconfiguration'),
  alone('location'),
  alone('locationresourcetemplate'),
  alone('deployment'),
  alone('csargitrepository'),
  alone('deploymenttopology'),
  { es1Index: 'deployedtopologies', es1Type: 'deploymenttopology', es8Index: 'deployedtopologies' },
  typeOf('deploymentmonitorevents', 'paasdeploymentstatusmonitorevent'),
  typeOf('deploymentmonitorevents', 'paasinstancestatemonitorevent'),
  typeOf('deploymentmonitorevents', 'paasmessagemonitorevent'),
  typeOf('deploymentmonitorevents', 'paasinstancepersistentresourcemonitorevent'),
  typeOf('deploymentmonitorevents', 'paasworkflowstepmonitorevent'),
  typeOf('deploymentmonitorevents', 'paasworkflowmonitorevent'),
  alone('imagedata'),
  typeOf('alienaudit', 'audittrace'),
  typeOf('alienaudit', 'auditconfiguration'),
  alone('user'),
  alone('group'),
];

/** New in 1.2.0: primitive data types in toscaelement, the deployment logs and the suggestion index. */
const ADDED_IN_1_2_0: Es1StorageLayout = [
  typeOf('toscaelement', 'primitiveindexeddatatype'),
  alone('paasdeploymentlog'),
  typeOf('suggestion', 'suggestionentry'),
  typeOf('suggestion', 'simplesuggestionentry'),
];

/** The ES 1.x storage layout of each data version: where the documents of each ES 8 index came from. */
export const ES1_STORAGE_LAYOUT: Readonly<Record<DataVersion, Es1StorageLayout>> = {
  [DATA_VERSION_1_1_0]: LAYOUT_1_1_0,
  [DATA_VERSION_1_2_0]: [...LAYOUT_1_1_0, ...ADDED_IN_1_2_0],
};

/**
 * How a cluster stores A4C's documents: `es1`, A4C's own multi-type indices (toscaelement
 * holding indexednodetype, ...), on servers whose indices can hold several types (1.x-5.x);
 * `es8`, one index per former type (the model's A4C index names), on 6.x and later.
 */
export type A4cStorageLayout = 'es1' | 'es8';

/** The layout of a cluster of Elasticsearch `esVersion` ("1.7.6", "8.19.21"); an unreadable version counts as 8.x. */
export function storageLayoutOf(esVersion: string | undefined): A4cStorageLayout {
  const major = Number.parseInt(/^(\d+)\./.exec(esVersion ?? '')?.[1] ?? '', 10);
  return Number.isFinite(major) && major <= 5 ? 'es1' : 'es8';
}

function layoutOf(version: string): Es1StorageLayout {
  const layout = (ES1_STORAGE_LAYOUT as Readonly<Record<string, Es1StorageLayout>>)[version];
  if (!layout) throw new Error(`Unknown A4C data version "${version}" (known: ${KNOWN_DATA_VERSIONS.join(', ')}).`);
  return layout;
}

/** The ES 1.x indices of a data version (toscaelement, application, ...), with the configured prefix, sorted. */
export function es1IndexNames(version: string, prefix = ''): string[] {
  return [...new Set(layoutOf(version).map((row) => `${prefix}${row.es1Index}`))].sort();
}

/** Every ES 1.x index name of any known data version, with the prefix (each once). */
export function allEs1IndexNames(prefix = ''): string[] {
  return [...new Set(KNOWN_DATA_VERSIONS.flatMap((version) => es1IndexNames(version, prefix)))].sort();
}

/**
 * Where the documents of the A4C index `name` (an ES 8 name of the model, without prefix) live
 * in the ES 1.x layout of `version`: its ES 1.x index (without prefix) and type; undefined when
 * the version has no such index.
 */
export function es1LocationOf(name: string, version: string): Es1TypeLocation | undefined {
  return layoutOf(version).find((row) => row.es8Index === name);
}
