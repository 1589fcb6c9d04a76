// The A4C data model, the one home of what a4c-admin knows about A4C's data: the data
// versions, the A4C index names of each version (and their versioned concrete names), the
// indices and data-folder parts a hot restore must not touch, and the storage layout of each
// Elasticsearch generation; and the indices a4c-admin keeps for itself beside A4C's. No other
// file names an A4C index, a data version or one of the tool's own indices.

export type { DataVersion } from './data-versions.js';
export {
  compareVersions,
  DATA_VERSION_1_1_0,
  DATA_VERSION_1_2_0,
  isKnownDataVersion,
  KNOWN_DATA_VERSIONS,
  LATEST_DATA_VERSION,
  OLDEST_DATA_VERSION,
  parseVersion,
} from './data-versions.js';
export type { A4cStorageLayout, Es1StorageLayout, Es1TypeLocation } from './es-storage-layout.js';
export { allEs1IndexNames, ES1_STORAGE_LAYOUT, es1IndexNames, es1LocationOf, storageLayoutOf } from './es-storage-layout.js';
export { HOT_RESTORE_UNSAFE_INDICES, HOT_RESTORE_UNSAFE_PARTS } from './hot-restore.js';
export {
  a4cIndexName,
  a4cIndexNames,
  allA4cIndexNames,
  baseIndexName,
  isVersionedIndexOf,
  PLUGIN_INDEX,
  versionedIndexName,
  versionedIndexWildcard,
  withoutVersionSuffix,
} from './index-names.js';
export { a4cIndexNamesIn, allA4cIndexNamesIn } from './layout-index-names.js';
export { dataVersionMarkerIndexName, snapshotMetadataIndexName, toolOwnIndexNames } from './tool-index-names.js';
