// @a4c-admin/migrations/internal: building blocks that the tools and tests share (the
// data-version marker arithmetic, the orchestrator settings rule P1 writes).
// Not a public API: names here may change in any release.
export { markerAfterRollback, markerAfterStep } from './data-version.js';
export { CLOUDIFY3_DEFAULT_SETTINGS } from './rules/cloudify3-orchestrator.js';
