// @ts-check
// The launcher's surface, for scripts (demo, benchmarks) that need a real node.
export { cachedZipPath, DEFAULT_VERSION, ensureDistribution, javaHome, launcherHome, nodesHome } from './distribution.mjs';
export { SHORT_LIVED_NODE_JAVA_OPTIONS } from './java-options.mjs';
export { NODE_USER, nodeSetStatus, readState, startNodeSet, stopNodeSet, waitForHealth } from './node-set.mjs';
export { createCertificates, secureGet, waitForSecureHealth } from './security.mjs';
export { A4C_1X_ELASTICSEARCH_VERSION, A4C_LEGACY_CLUSTER_NAME, LEGACY_VERSIONS, versionProfile } from './versions.mjs';
