// Which Elasticsearch indices belong to A4C, per data version: one index per former
// ES 1.x mapping type (see a4c-data-model.md), with the optional prefix of the config.
// Backups and restores name these explicitly, so other indices of a cluster are never touched.

const INDICES_1_1_0 = [
  'application',
  'applicationenvironment',
  'applicationversion',
  'auditconfiguration',
  'audittrace',
  'csar',
  'csargitrepository',
  'deployedtopologies',
  'deployment',
  'deploymenttopology',
  'group',
  'imagedata',
  'indexedartifacttype',
  'indexedcapabilitytype',
  'indexeddatatype',
  'indexednodetype',
  'indexedrelationshiptype',
  'location',
  'locationresourcetemplate',
  'metapropconfiguration',
  'orchestrator',
  'orchestratorconfiguration',
  'paasdeploymentstatusmonitorevent',
  'paasinstancepersistentresourcemonitorevent',
  'paasinstancestatemonitorevent',
  'paasmessagemonitorevent',
  'paasworkflowmonitorevent',
  'paasworkflowstepmonitorevent',
  'plugin',
  'pluginconfiguration',
  'topology',
  'topologytemplate',
  'topologytemplateversion',
  'user',
] as const;

/** New in 1.2.0: primitive data types, the suggestion index's types and deployment logs. */
const ADDED_IN_1_2_0 = ['paasdeploymentlog', 'primitiveindexeddatatype', 'simplesuggestionentry', 'suggestionentry'] as const;

const INDICES_BY_VERSION: Record<string, readonly string[]> = {
  '1.1.0': INDICES_1_1_0,
  '1.2.0': [...INDICES_1_1_0, ...ADDED_IN_1_2_0].sort(),
};

/** The data versions this tool knows. */
export const KNOWN_DATA_VERSIONS = Object.keys(INDICES_BY_VERSION);

/**
 * Indices whose restore changes how A4C talks to clouds or loads plugins: the seed
 * warns that a hot restore (A4C running) is only safe when none of them is touched.
 */
export const HOT_RESTORE_UNSAFE_INDICES = ['orchestrator', 'orchestratorconfiguration', 'location', 'locationresourcetemplate', 'plugin', 'pluginconfiguration'];
/** Data-folder parts that hold plugin code, unsafe to swap under a running A4C. */
export const HOT_RESTORE_UNSAFE_PARTS = ['plugins', 'work/plugins', 'work'];

/** The A4C index names of a data version, with the configured prefix. */
export function a4cIndexNames(version: string, prefix = ''): string[] {
  const names = INDICES_BY_VERSION[version];
  if (!names) throw new Error(`Unknown A4C data version "${version}" (known: ${KNOWN_DATA_VERSIONS.join(', ')}).`);
  return names.map((name) => `${prefix}${name}`);
}

/** The A4C name of an index without the prefix, e.g. `prod-application` -> `application`. */
export function baseIndexName(index: string, prefix = ''): string {
  return prefix && index.startsWith(prefix) ? index.slice(prefix.length) : index;
}
