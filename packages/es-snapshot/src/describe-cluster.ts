// Who the cluster is and whether it is ready: name, uuid, version, health, nodes.
// Built from _cluster/health, _nodes and _cluster/state (some distributions have no GET /).
import { A4cAdminError, type ClusterDescription, type ClusterInspector } from '@a4c-admin/core';
import type { Client } from '@elastic/elasticsearch';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

/** What Elasticsearch itself writes for a uuid it does not have. */
const UNKNOWN_UUID = '_na_';

const HEALTH_STATUSES: ReadonlySet<string> = new Set(['green', 'yellow', 'red']);

/**
 * Orders Elasticsearch node versions ("8.19.21", "8.19.21-SNAPSHOT"). Lenient on purpose,
 * unlike the strict A4C data versions of @a4c-admin/migrations: a node's version string is
 * not ours to refuse.
 */
function compareNodeVersions(left: string, right: string): number {
  const a = left.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  const b = right.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * core's `ClusterDescription`: name, uuid, the lowest node version (what the whole cluster can
 * read and write), health and nodes. A cluster that reports no green, yellow or red health
 * (`unknown`, `unavailable`) is CLUSTER_UNHEALTHY.
 */
export async function describeCluster(client: Client): Promise<ClusterDescription> {
  let answers;
  try {
    const [health, nodes, state] = await Promise.all([
      client.cluster.health(),
      client.nodes.info({ filter_path: ['nodes.*.name', 'nodes.*.version'] }),
      client.cluster.state({ metric: ['metadata'], filter_path: ['cluster_name', 'metadata.cluster_uuid'] }),
    ]);
    const nodeList = Object.values((nodes as { nodes?: Record<string, { name: string; version: string }> }).nodes ?? {})
      .map((node) => ({ name: node.name, version: node.version }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const versions = nodeList.map((node) => node.version).sort(compareNodeVersions);
    // 1.x has no cluster uuid (measured on 1.7.6: the metadata holds none): such a cluster is
    // known by its name alone, and its uuid is Elasticsearch's own word for "not available".
    // The same calls work on every generation: _cluster/health, _nodes, _cluster/state/metadata.
    const metadata = (state as { metadata?: { cluster_uuid?: string } }).metadata;
    answers = {
      clusterName: health.cluster_name,
      clusterUuid: metadata?.cluster_uuid || UNKNOWN_UUID,
      version: versions[0] ?? 'unknown',
      status: String(health.status).toLowerCase(),
      nodes: nodeList,
    };
  } catch (error) {
    throw wrapElasticsearchError(error, 'describing the cluster');
  }
  const { status, ...rest } = answers;
  if (!HEALTH_STATUSES.has(status)) {
    throw new A4cAdminError('CLUSTER_UNHEALTHY', `Cluster "${rest.clusterName}" did not report its health.`, {
      hint: 'Check the nodes with GET _cluster/health.',
    });
  }
  return { ...rest, status: status as ClusterDescription['status'] };
}

/** core's `ClusterInspector` port on one client. */
export function createClusterInspector(client: Client): ClusterInspector {
  return { describe: () => describeCluster(client) };
}
