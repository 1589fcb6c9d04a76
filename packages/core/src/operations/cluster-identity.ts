// Which cluster a configuration belongs to: `elasticsearch.cluster_name`, checked before an
// operation reads or changes anything there.
import type { A4cAdminConfig } from '../config-schema.js';
import { A4cAdminError } from '../errors.js';
import type { ClusterInspector } from '../ports.js';

/**
 * `elasticsearch.cluster_name` names the cluster this configuration belongs to: an address
 * that leads to another cluster (a copied config, a tunnel to production) is refused before
 * anything is read or changed there. Without the key, any cluster is accepted.
 */
export async function assertExpectedCluster(config: A4cAdminConfig, cluster: ClusterInspector): Promise<void> {
  if (!config.elasticsearch.cluster_name) return;
  const mismatch = clusterIdentityError(config, (await cluster.describe()).clusterName);
  if (mismatch) throw mismatch;
}

/** The refusal of a cluster named otherwise than `elasticsearch.cluster_name` says, or undefined when it agrees (or no name is set). */
export function clusterIdentityError(config: A4cAdminConfig, clusterName: string): A4cAdminError | undefined {
  const expected = config.elasticsearch.cluster_name;
  if (!expected || clusterName === expected) return undefined;
  return new A4cAdminError(
    'PRECONDITION_FAILED',
    `The cluster at ${config.elasticsearch.addresses.join(', ')} is named "${clusterName}", not "${expected}" as elasticsearch.cluster_name says; nothing was read or changed.`,
    {
      hint: 'Check elasticsearch.addresses (it may lead to another cluster), or fix elasticsearch.cluster_name if the cluster was renamed.',
      details: { expected, actual: clusterName },
    },
  );
}
