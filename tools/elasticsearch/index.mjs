// @ts-check
// The launcher's surface, for scripts (demo, benchmarks) that need a real node.
export { DEFAULT_VERSION, cachedZipPath, ensureDistribution, launcherHome } from './distribution.mjs';
export { createCertificates, secureGet, waitForSecureHealth } from './security.mjs';
export { NODE_USER, nodeSetStatus, readState, startNodeSet, stopNodeSet, waitForHealth } from './node-set.mjs';
