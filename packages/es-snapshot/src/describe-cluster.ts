// Who the cluster is and whether it is ready: name, uuid, version, health, nodes.
// Built from _cluster/health, _nodes and _cluster/state (some distributions have no GET /).
import type { Client } from '@elastic/elasticsearch';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

export interface ClusterDescription {
  clusterName: string;
  clusterUuid: string;
  /** The lowest node version: what the whole cluster can read and write. */
  version: string;
  status: 'green' | 'yellow' | 'red' | 'unknown' | 'unavailable';
  nodes: { name: string; version: string }[];
}

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

export async function describeCluster(client: Client): Promise<ClusterDescription> {
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
    const metadata = (state as { metadata?: { cluster_uuid?: string } }).metadata;
    return {
      clusterName: health.cluster_name,
      clusterUuid: metadata?.cluster_uuid ?? '',
      version: versions[0] ?? 'unknown',
      status: String(health.status).toLowerCase() as ClusterDescription['status'],
      nodes: nodeList,
    };
  } catch (error) {
    throw wrapElasticsearchError(error, 'describing the cluster');
  }
}
