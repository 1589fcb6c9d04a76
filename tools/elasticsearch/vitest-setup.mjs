// @ts-check
// vitest global setup of the integration project: starts a real single node, a real
// 3-node cluster and a real Elasticsearch 1.7.6 node as A4C 1.x ran it (or reuses the ones
// named by A4C_TEST_ES_URL / A4C_TEST_ES_CLUSTER_URL / A4C_TEST_ES1_URL), all at once,
// publishes their URLs to the tests, and stops what it started.
import { startNodeSet, stopNodeSet } from './node-set.mjs';
import { A4C_1X_ELASTICSEARCH_VERSION, A4C_LEGACY_CLUSTER_NAME } from './versions.mjs';

const log = (/** @type {string} */ line) => console.log(`[es] ${line}`);

/** Asks a node given from outside what it is, so the tests know its version and cluster name. @param {string} url */
async function describeNode(url) {
  const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(10_000) });
  const body = await response.json();
  return { version: String(body.version?.number ?? ''), clusterName: String(body.cluster_name ?? '') };
}

/** @param {{ provide: (key: string, value: unknown) => void }} project */
export default async function setup(project) {
  /** @type {string[]} */
  const started = [];
  const single = process.env.A4C_TEST_ES_URL ? { url: process.env.A4C_TEST_ES_URL, repoPath: process.env.A4C_TEST_ES_REPO ?? '' } : undefined;
  const cluster = process.env.A4C_TEST_ES_CLUSTER_URL
    ? { url: process.env.A4C_TEST_ES_CLUSTER_URL, repoPath: process.env.A4C_TEST_ES_CLUSTER_REPO ?? '' }
    : undefined;
  const skipCluster = process.env.A4C_TEST_CLUSTER === '0';
  const legacyUrl = process.env.A4C_TEST_ES1_URL;
  const skipLegacy = process.env.A4C_TEST_ES1 === '0';

  /** @template T @param {string} name @param {Promise<T>} starting */
  const remember = (name, starting) =>
    starting.then((state) => {
      started.push(name);
      return state;
    });

  const [node, nodes, legacy] = await Promise.all([
    single ?? remember('test', startNodeSet({ name: 'test', nodes: 1, httpPort: 9211, fresh: true, log })),
    cluster ?? (skipCluster ? undefined : remember('test-cluster', startNodeSet({ name: 'test-cluster', nodes: 3, httpPort: 9221, fresh: true, log }))),
    legacyUrl
      ? describeNode(legacyUrl).then((about) => ({ url: legacyUrl, repoPath: process.env.A4C_TEST_ES1_REPO ?? '', ...about }))
      : skipLegacy
        ? undefined
        : remember(
            'test-es1',
            startNodeSet({
              name: 'test-es1',
              version: A4C_1X_ELASTICSEARCH_VERSION,
              clusterName: A4C_LEGACY_CLUSTER_NAME,
              httpPort: 9231,
              // Not 9331 (http + 100): the 8.19 nodes people start by hand live in the 93xx range.
              transportPort: 9232,
              fresh: true,
              log,
            }),
          ),
  ]);
  const published = {
    url: node.url,
    repoPath: node.repoPath,
    clusterUrls: nodes ? ('urls' in nodes ? nodes.urls : nodes.url.split(',')) : [],
    clusterRepoPath: nodes?.repoPath ?? '',
  };
  project.provide('elasticsearch', published);
  const legacyPublished = legacy
    ? { url: legacy.url, repoPath: legacy.repoPath, clusterName: legacy.clusterName ?? A4C_LEGACY_CLUSTER_NAME, version: legacy.version }
    : undefined;
  project.provide('legacyElasticsearch', legacyPublished);
  log(
    `tests use ${published.url} and ${published.clusterUrls.join(', ') || 'no cluster'}` +
      `${legacyPublished ? `, Elasticsearch ${legacyPublished.version} at ${legacyPublished.url}` : ', no legacy node'}`,
  );

  return async () => {
    await Promise.all(started.map((name) => stopNodeSet(name, { log })));
  };
}
