// @a4c-admin/es-snapshot, the public surface: the Elasticsearch side of a4c-admin. The client,
// the implementations of core's ports (cluster, snapshots, document reads and writes, migration
// state, export/import) and openBackends, which builds them all from a config. Helpers that
// the other packages share are in `./internal` (src/internal.ts): no stability promise there.
export type { A4cIndexReaderOptions } from './a4c-index-reader.js';
export { createA4cIndexReader } from './a4c-index-reader.js';
export type { ElasticsearchConnection } from './connect.js';
export { connectElasticsearch } from './connect.js';
export type { ClientConfig } from './create-elasticsearch-client.js';
export { createElasticsearchClient } from './create-elasticsearch-client.js';
export { createClusterInspector, describeCluster } from './describe-cluster.js';
export type { PagingMethod, ServerDialect } from './dialect/server-dialect.js';
export { dialectFor } from './dialect/server-dialect.js';
export type { ExportOptions } from './export-index.js';
export { exportIndex, exportIndices } from './export-index.js';
export type { ExportChunk, ExportManifest, IndexExport } from './export-manifest.js';
export { readExportManifest } from './export-manifest.js';
export type { ImportOptions, ImportResult } from './import-index.js';
export { importIndex, importIndices } from './import-index.js';
export type { IndexExporterOptions } from './index-exporter.js';
export { createIndexExporter } from './index-exporter.js';
export type { DocumentLocation, IndexReaderOptions } from './index-reader.js';
export { createIndexReader } from './index-reader.js';
export type { IndexWriterOptions } from './index-writer.js';
export { createIndexWriter } from './index-writer.js';
export { createMappingValidator } from './mapping-validator.js';
export type { MigrationStateStoreOptions } from './migration-state-store.js';
export { createMigrationStateStore } from './migration-state-store.js';
export type { OpenBackends } from './open-backends.js';
export { openBackends } from './open-backends.js';
export { openObjectStore, remoteCredentials } from './s3-object-store.js';
export type { RepositoryConfig } from './snapshot-repository.js';
export type { SnapshotStoreOptions } from './snapshot-store.js';
export { createSnapshotStore } from './snapshot-store.js';
