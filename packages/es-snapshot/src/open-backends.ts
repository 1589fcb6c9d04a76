// Every port of core (and the migration runner) on one Elasticsearch client, built from an
// a4c-admin configuration: what core's operations and a migrator take as their backends.
import type { A4cAdminConfig, BackupBackends, IndexReader, MappingValidator } from '@a4c-admin/core';
import { createA4cIndexReader } from './a4c-index-reader.js';
import { connectElasticsearch } from './connect.js';
import { createClusterInspector } from './describe-cluster.js';
import type { ServerDialect } from './dialect/server-dialect.js';
import { createIndexExporter } from './index-exporter.js';
import { createIndexReader } from './index-reader.js';
import { createIndexWriter } from './index-writer.js';
import { createMappingValidator } from './mapping-validator.js';
import { createMigrationStateStore } from './migration-state-store.js';
import { createSnapshotStore } from './snapshot-store.js';

export interface OpenBackends {
  /** core's ports: cluster, snapshots, reader, writer, migration state, exporter. */
  backends: BackupBackends;
  /**
   * Reads the A4C names of the ES 8 layout (`<prefix>indexednodetype`, ...) on any cluster: on a
   * multi-type server (1.x-5.x) each name's type in its ES 1.x index (`<prefix>toscaelement`);
   * on 6.x and later, the same as `backends.reader`.
   */
  a4cReader: IndexReader;
  /** Checks documents against mappings without writing (the migration's dry run). */
  validator: MappingValidator;
  /** What the connected server is: its version and the differences a4c-admin follows there. */
  dialect: ServerDialect;
  /** Closes the client; call it once the operation is over. */
  close(): Promise<void>;
}

/**
 * One client for one operation, from `config.elasticsearch` (addresses, auth, TLS, retries,
 * repository, index prefix) and `config.poller.scroll` (page size, point-in-time lease). It asks
 * the cluster its version first (`GET /`): every port then speaks that server's dialect, from
 * Elasticsearch 1.7 to 8.x.
 *
 * `signal` (Ctrl-C) stops the long parts: the waits for a snapshot or a restore, the export's
 * page loop, the import's bulk loop and index reads. Short requests are left to finish, so
 * that the clean-up after an abort (deleting a half-taken snapshot) still reaches the cluster.
 */
export async function openBackends(config: A4cAdminConfig, options: { signal?: AbortSignal } = {}): Promise<OpenBackends> {
  const { signal } = options;
  const es = config.elasticsearch;
  const prefix = es.index_prefix;
  const { client, dialect } = await connectElasticsearch(es, { signal });
  const pageSize = config.poller.scroll.batch_size;
  const keepAlive = `${config.poller.scroll.lease}s`;
  const backends: BackupBackends = {
    cluster: createClusterInspector(client),
    snapshots: createSnapshotStore(client, es.repository, { signal, dialect, metadataIndex: `${prefix}a4c-admin-snapshot-metadata` }),
    reader: createIndexReader(client, { pageSize, keepAlive, signal, dialect }),
    writer: createIndexWriter(client, { signal, dialect }),
    state: createMigrationStateStore(client, { prefix, dialect }),
    exporter: createIndexExporter(client, { pageSize, keepAlive, signal, dialect }),
  };
  return {
    backends,
    a4cReader: createA4cIndexReader(client, { pageSize, keepAlive, signal, dialect, prefix }),
    validator: createMappingValidator(client, dialect),
    dialect,
    close: () => client.close(),
  };
}
