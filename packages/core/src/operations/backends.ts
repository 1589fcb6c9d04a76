// What the backup operations need from Elasticsearch, as ports: the CLI package wires
// @a4c-admin/es-snapshot's implementations in; core never holds a client.
import type { ClusterInspector, IndexExporter, IndexReader, IndexWriter, MigrationStateStore, SnapshotStore } from '../ports.js';

export interface BackupBackends {
  cluster: ClusterInspector;
  snapshots: SnapshotStore;
  /** Document counts and mappings of the indices being backed up or restored. */
  reader: IndexReader;
  /** Lifts the blocks a restored index brought back from the time of its backup. */
  writer: IndexWriter;
  /** The data-version marker, and which concrete indices the A4C names point at. */
  state: MigrationStateStore;
  /** Needed only for the portable `export` format. */
  exporter?: IndexExporter;
}
