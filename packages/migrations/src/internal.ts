// @a4c-admin/migrations/internal: building blocks that the tools and tests share (the
// data-version marker arithmetic, the mappings of each version, the single-document transform).
// Not a public API: names here may change in any release.
export { markerAfterRollback, markerAfterStep } from './data-version.js';
export { knownDataVersions } from './mappings/index.js';
export { CLOUDIFY3_DEFAULT_SETTINGS } from './rules/cloudify3-orchestrator.js';
