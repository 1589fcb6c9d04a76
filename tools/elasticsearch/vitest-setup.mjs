// @ts-check
// vitest global setup of the integration project: starts, for each test worker, a real single
// node and a real Elasticsearch 1.7.6 node as A4C 1.x ran it, and one real 3-node cluster
// shared by the workers (or reuses the ones named by A4C_TEST_ES_URL / A4C_TEST_ES_CLUSTER_URL /
// A4C_TEST_ES1_URL), all at once, publishes their URLs to the tests, and stops what it started.
import { SHORT_LIVED_NODE_JAVA_OPTIONS } from './java-options.mjs';
import { startNodeSet, stopNodeSet } from './node-set.mjs';
import { ramBackedNodesHome } from './test-nodes-home.mjs';
import { testWorkers } from './test-workers.mjs';
import { A4C_1X_ELASTICSEARCH_VERSION, A4C_LEGACY_CLUSTER_NAME } from './versions.mjs';

const log = (/** @type {string} */ line) => console.log(`[es] ${line}`);

// Every node of the run (these, and those the tests start themselves: the test workers inherit
// this environment) compiles with C1 only: see java-options.mjs. A value set outside wins.
process.env.A4C_ES_JAVA_OPTS ??= SHORT_LIVED_NODE_JAVA_OPTIONS.join(' ');
// Their folders (data, snapshot repositories) live in RAM when the machine offers it: see
// test-nodes-home.mjs. A value set outside wins.
const ramNodesHome = ramBackedNodesHome();
if (ramNodesHome) process.env.A4C_ES_NODES_HOME ??= ramNodesHome;

/** Asks a node given from outside what it is, so the tests know its version and cluster name. @param {string} url */
async function describeNode(url) {
  const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(10_000) });
  const body = await response.json();
  return { version: String(body.version?.number ?? ''), clusterName: String(body.cluster_name ?? '') };
}

/** @param {{ provide: (key: string, value: unknown) => void }} project */
export default async function setup(project) {
  // Every set this setup starts, named before its start begins: when one start fails, the
  // others (done or under way) are stopped too, since vitest runs no teardown for a setup that threw.
  /** @type {string[]} */
  const starting = [];
  const single = process.env.A4C_TEST_ES_URL ? { url: process.env.A4C_TEST_ES_URL, repoPath: process.env.A4C_TEST_ES_REPO ?? '' } : undefined;
  const cluster = process.env.A4C_TEST_ES_CLUSTER_URL
    ? { url: process.env.A4C_TEST_ES_CLUSTER_URL, repoPath: process.env.A4C_TEST_ES_CLUSTER_REPO ?? '' }
    : undefined;
  const skipCluster = process.env.A4C_TEST_CLUSTER === '0';
  const legacyUrl = process.env.A4C_TEST_ES1_URL;
  const skipLegacy = process.env.A4C_TEST_ES1 === '0';

  /** @template T @param {string} name @param {() => Promise<T>} start */
  const remember = (name, start) => {
    starting.push(name);
    return start();
  };
  const stopAll = () => Promise.all(starting.map((name) => stopNodeSet(name, { log })));

  const workers = Array.from({ length: testWorkers() }, (_, worker) => worker);
  // Worker 0 keeps the historical names and ports; the others take the next ones
  // (single nodes 9211.., legacy nodes 9231/9232, 9233/9234..: none reaches the cluster's 9221-9223).
  const suffix = (/** @type {number} */ worker) => (worker === 0 ? '' : `-${worker + 1}`);
  const startSingle = (/** @type {number} */ worker) =>
    single ?? remember(`test${suffix(worker)}`, () => startNodeSet({ name: `test${suffix(worker)}`, nodes: 1, httpPort: 9211 + worker, fresh: true, log }));
  const startLegacy = (/** @type {number} */ worker) =>
    legacyUrl
      ? describeNode(legacyUrl).then((about) => ({ url: legacyUrl, repoPath: process.env.A4C_TEST_ES1_REPO ?? '', ...about }))
      : skipLegacy
        ? undefined
        : remember(`test-es1${suffix(worker)}`, () =>
            startNodeSet({
              name: `test-es1${suffix(worker)}`,
              version: A4C_1X_ELASTICSEARCH_VERSION,
              clusterName: A4C_LEGACY_CLUSTER_NAME,
              httpPort: 9231 + 2 * worker,
              // Not http + 100: the 8.19 nodes people start by hand live in the 93xx range.
              transportPort: 9232 + 2 * worker,
              fresh: true,
              log,
            }),
          );

  const starts = await Promise.allSettled([
    cluster ?? (skipCluster ? undefined : remember('test-cluster', () => startNodeSet({ name: 'test-cluster', nodes: 3, httpPort: 9221, fresh: true, log }))),
    ...workers.map(startSingle),
    ...workers.map(startLegacy),
  ]);
  const failed = starts.find((start) => start.status === 'rejected');
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  const [nodes, ...perWorker] = starts.map((start) => /** @type {PromiseFulfilledResult<any>} */ (start).value);
  const singles = perWorker.slice(0, workers.length);
  const legacies = perWorker.slice(workers.length);
  const clusterUrls = nodes ? ('urls' in nodes ? nodes.urls : nodes.url.split(',')) : [];
  const published = singles.map((node) => ({ url: node.url, repoPath: node.repoPath, clusterUrls, clusterRepoPath: nodes?.repoPath ?? '' }));
  project.provide('elasticsearchWorkers', published);
  const legacyPublished = legacies.map((legacy) =>
    legacy ? { url: legacy.url, repoPath: legacy.repoPath, clusterName: legacy.clusterName ?? A4C_LEGACY_CLUSTER_NAME, version: legacy.version } : undefined,
  );
  project.provide('legacyElasticsearchWorkers', legacyPublished);
  log(
    `${workers.length} test worker(s) use ${published.map((node) => node.url).join(', ')} and ${clusterUrls.join(', ') || 'no cluster'}` +
      `${legacyPublished[0] ? `, Elasticsearch ${legacyPublished[0].version} at ${legacyPublished.map((legacy) => legacy?.url).join(', ')}` : ', no legacy node'}`,
  );

  return stopAll;
}
