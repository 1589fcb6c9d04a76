// @a4c-admin/es-snapshot/internal: helpers the sibling packages and the tools share. Not a
// public API: names here may change in any release.
export { EXPORT_MANIFEST_FILE } from './export-manifest.js';
export { countDocuments } from './index-reader.js';
export { wrapElasticsearchError, wrapElasticsearchResponse } from './wrap-elasticsearch-error.js';
