// Wires @a4c-admin/es-snapshot's implementations into the ports that core's operations and
// the migration runner call. One client per operation, closed when it ends.
import { A4cAdminError, type A4cAdminConfig, type BackupBackends, type IndexReader, type IndexWriter, type MappingValidator } from '@a4c-admin/core';
import {
  createElasticsearchClient,
  createIndexReader,
  createIndexWriter,
  createMappingValidator,
  createMigrationStateStore,
  createSnapshotStore,
  describeCluster,
  exportIndices,
  importIndices,
} from '@a4c-admin/es-snapshot';

export interface OpenBackends {
  backends: BackupBackends;
  writer: IndexWriter;
  /** Checks documents against mappings without writing (the migration's dry run). */
  validator: MappingValidator;
  close(): Promise<void>;
}

/**
 * `elasticsearch.cluster_name` names the cluster this configuration belongs to: an address
 * that leads to another cluster (a copied config, a tunnel to production) is refused before
 * anything is read or changed there.
 */
export async function assertExpectedCluster(config: A4cAdminConfig, backends: BackupBackends): Promise<void> {
  const expected = config.elasticsearch.cluster_name;
  if (!expected) return;
  const { clusterName } = await backends.cluster.describe();
  if (clusterName === expected) return;
  throw new A4cAdminError('PRECONDITION_FAILED', `The cluster at ${config.elasticsearch.addresses.join(', ')} is named "${clusterName}", not "${expected}" as elasticsearch.cluster_name says; nothing was read or changed.`, {
    hint: 'Check elasticsearch.addresses (it may lead to another cluster), or fix elasticsearch.cluster_name if the cluster was renamed.',
    details: { expected, actual: clusterName },
  });
}

/**
 * `signal` (Ctrl-C) stops the long parts: the waits for a snapshot or a restore, the export's
 * page loop, the import's bulk loop and index reads. Short requests are left to finish, so
 * that the clean-up after an abort (deleting a half-taken snapshot) still reaches the cluster.
 */
export function openBackends(config: A4cAdminConfig, signal?: AbortSignal): OpenBackends {
  const es = config.elasticsearch;
  const client = createElasticsearchClient(es);
  const pageSize = config.poller.scroll.batch_size;
  const keepAlive = `${config.poller.scroll.lease}s`;
  const writer = createIndexWriter(client, { signal });
  const backends: BackupBackends = {
    cluster: {
      async describe() {
        const description = await describeCluster(client);
        if (description.status === 'unknown' || description.status === 'unavailable') {
          throw new A4cAdminError('CLUSTER_UNHEALTHY', `Cluster "${description.clusterName}" did not report its health.`, {
            hint: 'Check the nodes with GET _cluster/health.',
          });
        }
        return { ...description, status: description.status };
      },
    },
    snapshots: createSnapshotStore(client, es.repository, { signal }),
    reader: withReadSignal(createIndexReader(client, { pageSize, keepAlive }), signal),
    writer,
    state: createMigrationStateStore(client, { prefix: es.index_prefix }),
    exporter: {
      async exportIndices(indices, folder, progress) {
        const manifest = await exportIndices(client, { indices, folder, pageSize, keepAlive, progress, signal });
        return manifest.indices.map((entry) => ({
          index: entry.index,
          documents: entry.count,
          chunks: entry.chunks.map((chunk) => ({ file: chunk.file, documents: chunk.documents, bytes: chunk.bytes, sha256: chunk.sha256 })),
        }));
      },
      async importIndices(folder, indices, progress, beforeLoad) {
        const results = await importIndices(client, { folder, indices, progress, beforeLoad, signal });
        return Object.fromEntries(results.map((result) => [result.index, result.written]));
      },
    },
  };
  return { backends, writer, validator: createMappingValidator(client), close: () => client.close() };
}

/** A reader whose reads stop on `signal` unless the caller gave one of its own. */
function withReadSignal(reader: IndexReader, signal: AbortSignal | undefined): IndexReader {
  if (!signal) return reader;
  return {
    count: (index) => reader.count(index),
    definition: (index) => reader.definition(index),
    read: (index, options) => reader.read(index, { ...options, signal: options?.signal ?? signal }),
  };
}

/**
 * Runs `work` with fresh backends (bound to `signal`, see openBackends) and always closes the
 * client. The cluster's identity is checked here, before `work` reads or changes anything, so
 * that every command and every library call meets the same check (doctor reports it as one of
 * its checks instead).
 */
export async function withBackends<T>(
  config: A4cAdminConfig,
  work: (opened: OpenBackends) => Promise<T>,
  { checkIdentity = true, signal }: { checkIdentity?: boolean; signal?: AbortSignal } = {},
): Promise<T> {
  const opened = openBackends(config, signal);
  try {
    if (checkIdentity) await assertExpectedCluster(config, opened.backends);
    return await work(opened);
  } finally {
    await opened.close();
  }
}
