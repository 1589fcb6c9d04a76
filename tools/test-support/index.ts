// What the integration tests know about the real Elasticsearch nodes started for them.
import { inject } from 'vitest';
import { holdClusterLease } from './cluster-lease.js';

export interface TestElasticsearch {
  /** URL of the single node. */
  url: string;
  /** Its `path.repo` folder (empty when the node was given from outside). */
  repoPath: string;
  /**
   * URLs of the 3 nodes of the cluster (empty when the cluster was skipped). The cluster is
   * shared by the test workers: the first read of this field waits until the file holds it
   * alone, until its process ends (cluster-lease.ts).
   */
  clusterUrls: string[];
  clusterRepoPath: string;
}

/** The legacy node A4C 1.x ran on (Elasticsearch 1.7.6, cluster `escluster`), as the global setup gives it. */
export interface TestLegacyElasticsearch {
  url: string;
  /** Its `path.repo` folder (empty when the node was given from outside without A4C_TEST_ES1_REPO). */
  repoPath: string;
  clusterName: string;
  /** The version the node reports in `GET /` (e.g. `1.7.6`). */
  version: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** One entry per test worker (tools/elasticsearch/test-workers.mjs): its own single node. */
    elasticsearchWorkers: TestElasticsearch[];
    /** One entry per test worker: its own legacy node (undefined when skipped). */
    legacyElasticsearchWorkers: Array<TestLegacyElasticsearch | undefined>;
  }
}

/** The entry of this test worker (vitest numbers its workers from 1 in VITEST_POOL_ID). */
function ofThisWorker<T>(perWorker: T[]): T {
  const worker = Number(process.env.VITEST_POOL_ID ?? 1);
  return perWorker[(Math.max(worker, 1) - 1) % perWorker.length]!;
}

/** This worker's single node and the shared cluster (taken on the first read of `clusterUrls`). */
export function testElasticsearch(): TestElasticsearch {
  const node = ofThisWorker(inject('elasticsearchWorkers'));
  const { clusterUrls, ...rest } = node;
  return {
    ...rest,
    get clusterUrls() {
      if (clusterUrls[0] !== undefined) holdClusterLease(clusterUrls[0]);
      return clusterUrls;
    },
  };
}

/**
 * This worker's legacy node, or undefined when the run skipped it (A4C_TEST_ES1=0): a test that
 * needs it skips itself then (`if (!legacy) context.skip()`).
 */
export function testLegacyElasticsearch(): TestLegacyElasticsearch | undefined {
  return ofThisWorker(inject('legacyElasticsearchWorkers'));
}

/** An index name no other test uses, so that tests never see each other's data. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
}
export { NODE_SET_START_MS } from './node-set-timeouts.js';
export { SEED_ADMIN_TOOL_CONFIG } from './seed-admin-tool-config.js';
export { seededRandom } from './seeded-random.js';
export { commandExists, rejectionOf } from './test-helpers.js';
export { type TierSample, tierSample } from './tier-sample.js';
export { baseSeed, FULL_TRIALS, trialCount } from './trial-settings.js';
