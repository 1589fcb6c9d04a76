// Every port of core (and the migration runner) on one Elasticsearch client, built from an
// a4c-admin configuration: what core's operations and a migrator take as their backends.
import type {
  A4cAdminConfig,
  BackupBackends,
  ClusterInspector,
  IndexExporter,
  IndexReader,
  IndexWriter,
  MappingValidator,
  MigrationStateStore,
  SnapshotStore,
} from '@a4c-admin/core';
import { snapshotMetadataIndexName } from '@a4c-admin/core/internal';
import { createA4cIndexReader } from './a4c-index-reader.js';
import { connectElasticsearch, type ElasticsearchConnection } from './connect.js';
import { deferredPort } from './deferred-port.js';
import { createClusterInspector } from './describe-cluster.js';
import { createIndexExporter } from './index-exporter.js';
import { createIndexReader } from './index-reader.js';
import { createIndexWriter } from './index-writer.js';
import { createMappingValidator } from './mapping-validator.js';
import { createMigrationStateStore } from './migration-state-store.js';
import { createSnapshotStore } from './snapshot-store.js';

/**
 * The methods each deferred port forwards: every method its implementation has, the batched ones
 * (one request for all indices) included. A method left out here is absent from the port, and
 * the callers fall back to one request an index (batched-ports.ts): the CLI's migration of the
 * sample installation sent its blocks, deletions, creations and counts one index at a time while
 * the library's benchmarks, which build the ports directly, did not. open-backends.test.ts checks
 * these lists against the implementations.
 */
export const DEFERRED_METHODS = {
  cluster: ['describe'],
  snapshots: ['ensureRepository', 'create', 'get', 'list', 'remove', 'restore', 'running'],
  reader: ['count', 'definition', 'counts', 'definitions'],
  writer: ['create', 'write', 'remove', 'setWriteBlock', 'liftBlocks', 'liftAllBlocks', 'clone', 'setWriteBlocks', 'removeAll', 'createAll', 'cloneAll'],
  state: ['readMarker', 'writeMarker', 'prepareMarker', 'resolve', 'updateAliases', 'listIndices', 'storageLayout', 'ownership'],
  exporter: ['exportIndices', 'importIndices'],
} as const satisfies {
  cluster: readonly (keyof ClusterInspector)[];
  snapshots: readonly (keyof SnapshotStore)[];
  reader: readonly (keyof IndexReader)[];
  writer: readonly (keyof IndexWriter)[];
  state: readonly (keyof MigrationStateStore)[];
  exporter: readonly (keyof IndexExporter)[];
};
/** The reader's async generators. */
const READER_STREAMS = ['read'] as const;

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
  /** Connects now (once; the ports do it on first use): the client and the server's dialect (its version and differences). */
  connect(): Promise<ElasticsearchConnection>;
  /** Closes the client, if it was opened; call it once the operation is over. */
  close(): Promise<void>;
}

/**
 * One client for one operation, from `config.elasticsearch` (addresses, auth, TLS, retries,
 * repository, index prefix) and `config.poller.scroll` (page size, point-in-time lease). On
 * first use it asks the cluster its version (`GET /`): every port then speaks that server's
 * dialect, from Elasticsearch 1.7 to 8.x. Nothing is sent before a port is used, so an
 * operation that fails or ends before it needs the cluster never reaches it.
 *
 * `signal` (Ctrl-C) stops the long parts: the waits for a snapshot or a restore, the export's
 * page loop, the import's bulk loop and index reads. Short requests are left to finish, so
 * that the clean-up after an abort (deleting a half-taken snapshot) still reaches the cluster.
 */
export async function openBackends(config: A4cAdminConfig, options: { signal?: AbortSignal } = {}): Promise<OpenBackends> {
  const { signal } = options;
  const es = config.elasticsearch;
  const prefix = es.index_prefix;
  // Unset, each port pages its own way: the exporter 5000 documents (bytes passed through), readers 2000.
  const pageSize = config.poller.scroll.batch_size;
  const keepAlive = `${config.poller.scroll.lease}s`;
  let connecting: Promise<ElasticsearchConnection> | undefined;
  const connect = () => {
    connecting ??= connectElasticsearch(es, { signal });
    // A failed connection is tried again by the next use, as a lazy client would.
    connecting.catch(() => {
      connecting = undefined;
    });
    return connecting;
  };
  const ports = async () => {
    const { client, dialect } = await connect();
    const backends = {
      cluster: createClusterInspector(client),
      snapshots: createSnapshotStore(client, es.repository, { signal, dialect, metadataIndex: snapshotMetadataIndexName(prefix) }),
      reader: createIndexReader(client, { pageSize, keepAlive, signal, dialect }),
      writer: createIndexWriter(client, { signal, dialect }),
      state: createMigrationStateStore(client, { prefix, dialect }),
      exporter: createIndexExporter(client, { pageSize, keepAlive, signal, dialect }),
      a4cReader: createA4cIndexReader(client, { pageSize, keepAlive, signal, dialect, prefix }),
      validator: createMappingValidator(client, dialect),
    };
    return backends;
  };
  let built: ReturnType<typeof ports> | undefined;
  const port =
    <K extends keyof Awaited<ReturnType<typeof ports>>>(key: K) =>
    async () => {
      built ??= ports();
      built.catch(() => {
        built = undefined;
      });
      return (await built)[key];
    };
  const backends: BackupBackends = {
    cluster: deferredPort<ClusterInspector>(port('cluster'), DEFERRED_METHODS.cluster),
    snapshots: deferredPort<SnapshotStore>(port('snapshots'), DEFERRED_METHODS.snapshots),
    reader: deferredPort<IndexReader>(port('reader'), DEFERRED_METHODS.reader, READER_STREAMS),
    writer: deferredPort<IndexWriter>(port('writer'), DEFERRED_METHODS.writer),
    state: deferredPort<MigrationStateStore>(port('state'), DEFERRED_METHODS.state),
    exporter: deferredPort<IndexExporter>(port('exporter'), DEFERRED_METHODS.exporter),
  };
  return {
    backends,
    a4cReader: deferredPort<IndexReader>(port('a4cReader'), DEFERRED_METHODS.reader, READER_STREAMS),
    validator: deferredPort<MappingValidator>(port('validator'), ['validate']),
    connect,
    async close() {
      const opened = await connecting?.catch(() => undefined);
      await opened?.client.close();
    },
  };
}
