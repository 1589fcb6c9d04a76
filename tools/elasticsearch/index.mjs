// @ts-check
// The launcher's surface, for scripts (demo, benchmarks) that need a real node.
export { cachedZipPath, DEFAULT_VERSION, ensureDistribution, launcherHome } from './distribution.mjs';
export { NODE_USER, nodeSetStatus, readState, startNodeSet, stopNodeSet, waitForHealth } from './node-set.mjs';
export { createCertificates, secureGet, waitForSecureHealth } from './security.mjs';
