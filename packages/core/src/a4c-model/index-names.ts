// Which Elasticsearch indices belong to A4C, per data version: one index per former ES 1.x
// mapping type (see es-storage-layout.ts), with the optional prefix of the config. Backups and
// restores name these explicitly, so other indices of a cluster are never touched.
// How A4C names map to concrete indices: the name (with the prefix) is an alias pointing at a
// versioned index, `<prefix><name>-v<version>`, once a4c-admin migrated it (a plain index before).
import { DATA_VERSION_1_1_0, DATA_VERSION_1_2_0, type DataVersion, KNOWN_DATA_VERSIONS } from './data-versions.js';

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

/** The A4C names (without prefix) of each data version, sorted: the ES 8 layout (see es-storage-layout.ts for ES 1.x). */
const INDICES_BY_VERSION: Readonly<Record<DataVersion, readonly string[]>> = {
  [DATA_VERSION_1_1_0]: INDICES_1_1_0,
  [DATA_VERSION_1_2_0]: [...INDICES_1_1_0, ...ADDED_IN_1_2_0].sort(),
};

/** The index of the installed plugins' documents (id, version, pluginPathId, descriptor): plugins verify and swap read it. */
export const PLUGIN_INDEX = 'plugin';

/** What separates an A4C name from the data version in a versioned index name. */
const VERSION_SEPARATOR = '-v';

/** The A4C index names of a data version, with the configured prefix. */
export function a4cIndexNames(version: string, prefix = ''): string[] {
  const names = (INDICES_BY_VERSION as Readonly<Record<string, readonly string[]>>)[version];
  if (!names) throw new Error(`Unknown A4C data version "${version}" (known: ${KNOWN_DATA_VERSIONS.join(', ')}).`);
  return names.map((name) => `${prefix}${name}`);
}

/** Every A4C index name of any known data version, with the prefix (each once). */
export function allA4cIndexNames(prefix = ''): string[] {
  return [...new Set(KNOWN_DATA_VERSIONS.flatMap((version) => a4cIndexNames(version, prefix)))];
}

/** The name A4C uses (an alias once migrated, a plain index in a 1.1.0 installation). */
export function a4cIndexName(name: string, prefix = ''): string {
  return `${prefix}${name}`;
}

/** The A4C name of an index without the prefix, e.g. `prod-application` -> `application`. */
export function baseIndexName(index: string, prefix = ''): string {
  return prefix && index.startsWith(prefix) ? index.slice(prefix.length) : index;
}

/** The concrete index holding the data of `name` at `version`: `<prefix><name>-v<version>`. */
export function versionedIndexName(name: string, version: string, prefix = ''): string {
  return `${prefix}${name}${VERSION_SEPARATOR}${version}`;
}

/** The wildcard expression matching every `<prefix>*-v<version>` index (for listing, never for deciding ownership). */
export function versionedIndexWildcard(version: string, prefix = ''): string {
  return versionedIndexName('*', version, prefix);
}

/**
 * True when `index` is one of the exact versioned names of `name` (`<name>-v<known version>`,
 * `name` with its prefix), or of `<name>-v<version>` alone when `version` is given. A finite
 * list, never a pattern: `application-v2-archive` is not a versioned name of `application`.
 */
export function isVersionedIndexOf(index: string, name: string, version?: string): boolean {
  const versions = version === undefined ? KNOWN_DATA_VERSIONS : [version];
  return versions.some((candidate) => index === versionedIndexName(name, candidate));
}

/** `name` without the `-v<version>` suffix of that version, or `name` itself when it has none. */
export function withoutVersionSuffix(name: string, version: string): string {
  const suffix = versionedIndexName('', version);
  return name.endsWith(suffix) ? name.slice(0, -suffix.length) : name;
}
