// Wires @a4c-admin/es-snapshot's implementations into the ports that core's operations and
// the migration runner call. One client per operation, closed when it ends.
import { A4cAdminError, type A4cAdminConfig, type BackupBackends, type IndexWriter, type MappingValidator } from '@a4c-admin/core';
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

export function openBackends(config: A4cAdminConfig): OpenBackends {
  const es = config.elasticsearch;
  const client = createElasticsearchClient(es);
  const pageSize = config.poller.scroll.batch_size;
  const keepAlive = `${config.poller.scroll.lease}s`;
  const writer = createIndexWriter(client);
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
    snapshots: createSnapshotStore(client, es.repository),
    reader: createIndexReader(client, { pageSize, keepAlive }),
    writer,
    state: createMigrationStateStore(client, { prefix: es.index_prefix }),
    exporter: {
      async exportIndices(indices, folder, progress) {
        const manifest = await exportIndices(client, { indices, folder, pageSize, keepAlive, progress });
        return manifest.indices.map((entry) => ({
          index: entry.index,
          documents: entry.count,
          chunks: entry.chunks.map((chunk) => ({ file: chunk.file, documents: chunk.documents, bytes: chunk.bytes, sha256: chunk.sha256 })),
        }));
      },
      async importIndices(folder, indices, progress, beforeLoad) {
        const results = await importIndices(client, { folder, indices, progress, beforeLoad });
        return Object.fromEntries(results.map((result) => [result.index, result.written]));
      },
    },
  };
  return { backends, writer, validator: createMappingValidator(client), close: () => client.close() };
}

/** Runs `work` with fresh backends and always closes the client. */
export async function withBackends<T>(config: A4cAdminConfig, work: (opened: OpenBackends) => Promise<T>): Promise<T> {
  const opened = openBackends(config);
  try {
    return await work(opened);
  } finally {
    await opened.close();
  }
}
