// What the integration tests know about the real Elasticsearch nodes started for them.
import { inject } from 'vitest';

export interface TestElasticsearch {
  /** URL of the single node. */
  url: string;
  /** Its `path.repo` folder (empty when the node was given from outside). */
  repoPath: string;
  /** URLs of the 3 nodes of the cluster (empty when the cluster was skipped). */
  clusterUrls: string[];
  clusterRepoPath: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    elasticsearch: TestElasticsearch;
  }
}

export function testElasticsearch(): TestElasticsearch {
  return inject('elasticsearch');
}

/** An index name no other test uses, so that tests never see each other's data. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
}
export { seededRandom } from './seeded-random.js';
export { commandExists, rejectionOf } from './test-helpers.js';
