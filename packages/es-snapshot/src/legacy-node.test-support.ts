// The legacy Elasticsearch node of the integration tests (1.7.6, cluster escluster), or undefined
// when the run has none: A4C_TEST_ES1_URL (and A4C_TEST_ES1_REPO, its path.repo) name it.
// The launcher's global setup publishes the same node once it starts one itself.
import { inject } from 'vitest';

export interface LegacyTestNode {
  url: string;
  repoPath: string;
  clusterName: string;
}

export function legacyTestNode(): LegacyTestNode | undefined {
  const published = (inject as (key: string) => LegacyTestNode | undefined)('legacyElasticsearch');
  if (published) return published;
  const url = process.env.A4C_TEST_ES1_URL;
  return url ? { url, repoPath: process.env.A4C_TEST_ES1_REPO ?? '', clusterName: process.env.A4C_TEST_ES1_CLUSTER ?? 'escluster' } : undefined;
}
