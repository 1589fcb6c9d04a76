// Where A4C documents live in each Elasticsearch generation. A4C itself ran on ES 1.x, where
// one index held several mapping types; ES 8 has no types, so each former type is its own index,
// named after the type (the model's A4C index names), except `deployedtopologies` whose type
// `deploymenttopology` collides with the `deploymenttopology` index: the ES 1.x index name is kept.
// Source: the A4C spec, §0.3 "Indices, types and ids (ES 1.x) and proposed ES 8 index names".
// Only the table lives here: reading ES 1.x data is not built (the ES 1.7 multi-type issue uses it).
import { DATA_VERSION_1_1_0, DATA_VERSION_1_2_0, type DataVersion } from './data-versions.js';

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
