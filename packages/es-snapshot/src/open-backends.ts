// Every port of core (and the migration runner) on one Elasticsearch client, built from an
// a4c-admin configuration: what core's operations and a migrator take as their backends.
import type { A4cAdminConfig, BackupBackends, MappingValidator } from '@a4c-admin/core';
import { createElasticsearchClient } from './create-elasticsearch-client.js';
import { createClusterInspector } from './describe-cluster.js';
import { createIndexExporter } from './index-exporter.js';
import { createIndexReader } from './index-reader.js';
import { createIndexWriter } from './index-writer.js';
import { createMappingValidator } from './mapping-validator.js';
import { createMigrationStateStore } from './migration-state-store.js';
import { createSnapshotStore } from './snapshot-store.js';

export interface OpenBackends {
  /** core's ports: cluster, snapshots, reader, writer, migration state, exporter. */
  backends: BackupBackends;
  /** Checks documents against mappings without writing (the migration's dry run). */
  validator: MappingValidator;
  /** Closes the client; call it once the operation is over. */
  close(): Promise<void>;
}

/**
 * One client for one operation, from `config.elasticsearch` (addresses, auth, TLS, retries,
 * repository, index prefix) and `config.poller.scroll` (page size, point-in-time lease).
 *
 * `signal` (Ctrl-C) stops the long parts: the waits for a snapshot or a restore, the export's
 * page loop, the import's bulk loop and index reads. Short requests are left to finish, so
 * that the clean-up after an abort (deleting a half-taken snapshot) still reaches the cluster.
 */
export function openBackends(config: A4cAdminConfig, options: { signal?: AbortSignal } = {}): OpenBackends {
  const { signal } = options;
  const es = config.elasticsearch;
  const client = createElasticsearchClient(es);
  const pageSize = config.poller.scroll.batch_size;
  const keepAlive = `${config.poller.scroll.lease}s`;
  const backends: BackupBackends = {
    cluster: createClusterInspector(client),
    snapshots: createSnapshotStore(client, es.repository, { signal }),
    reader: createIndexReader(client, { pageSize, keepAlive, signal }),
    writer: createIndexWriter(client, { signal }),
    state: createMigrationStateStore(client, { prefix: es.index_prefix }),
    exporter: createIndexExporter(client, { pageSize, keepAlive, signal }),
  };
  return { backends, validator: createMappingValidator(client), close: () => client.close() };
}
