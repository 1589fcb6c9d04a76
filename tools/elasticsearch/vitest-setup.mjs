// @ts-check
// vitest global setup of the integration project: starts a real single node and a real
// 3-node cluster (or reuses the ones named by A4C_TEST_ES_URL / A4C_TEST_ES_CLUSTER_URL),
// publishes their URLs to the tests, and stops what it started.
import { startNodeSet, stopNodeSet } from './node-set.mjs';

const log = (/** @type {string} */ line) => console.log(`[es] ${line}`);

/** @param {{ provide: (key: string, value: unknown) => void }} project */
export default async function setup(project) {
  /** @type {string[]} */
  const started = [];
  const single = process.env.A4C_TEST_ES_URL ? { url: process.env.A4C_TEST_ES_URL, repoPath: process.env.A4C_TEST_ES_REPO ?? '' } : undefined;
  const cluster = process.env.A4C_TEST_ES_CLUSTER_URL
    ? { url: process.env.A4C_TEST_ES_CLUSTER_URL, repoPath: process.env.A4C_TEST_ES_CLUSTER_REPO ?? '' }
    : undefined;
  const skipCluster = process.env.A4C_TEST_CLUSTER === '0';

  const [node, nodes] = await Promise.all([
    single ??
      startNodeSet({ name: 'test', nodes: 1, httpPort: 9211, fresh: true, log }).then((state) => {
        started.push('test');
        return state;
      }),
    cluster ??
      (skipCluster
        ? undefined
        : startNodeSet({ name: 'test-cluster', nodes: 3, httpPort: 9221, fresh: true, log }).then((state) => {
            started.push('test-cluster');
            return state;
          })),
  ]);
  const published = {
    url: node.url,
    repoPath: node.repoPath,
    clusterUrls: nodes ? ('urls' in nodes ? nodes.urls : nodes.url.split(',')) : [],
    clusterRepoPath: nodes?.repoPath ?? '',
  };
  project.provide('elasticsearch', published);
  log(`tests use ${published.url} and ${published.clusterUrls.join(', ') || 'no cluster'}`);

  return async () => {
    await Promise.all(started.map((name) => stopNodeSet(name, { log })));
  };
}
