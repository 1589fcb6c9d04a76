// The SnapshotStore port: snapshots of named indices in one fs repository, followed
// through the status API, and restores of chosen indices that touch nothing else.
import type { SnapshotStore } from '@a4c-admin/core';
import { snapshotMetadataIndexName } from '@a4c-admin/core/internal';
import type { Client } from '@elastic/elasticsearch';
import { DEFAULT_DIALECT, type ServerDialect } from './dialect/server-dialect.js';
import { createSnapshot, removeSnapshot } from './snapshot-create.js';
import { createSnapshotMetadataIndex } from './snapshot-metadata-index.js';
import { getRawSnapshot, listSnapshots, type SnapshotStoreContext, toInfo } from './snapshot-read.js';
import { ensureRepository, type RepositoryConfig } from './snapshot-repository.js';
import { restoreSnapshot } from './snapshot-restore.js';
import { runningSnapshotsAndRestores } from './snapshot-running.js';

export interface SnapshotStoreOptions {
  /** Milliseconds between two looks at a running snapshot or restore, 500 by default. */
  pollIntervalMs?: number;
  /** Longest wait for a restore to reach yellow, 1 hour by default. */
  restoreTimeoutMs?: number;
  /**
   * Stops the waits for a running snapshot or restore (Ctrl-C). Only the waits and the looks
   * they make: deleting a snapshot or putting a setting back must still work after an abort.
   */
  signal?: AbortSignal;
  /** The connected server's dialect (connectElasticsearch); 8.x when absent. */
  dialect?: ServerDialect;
  /**
   * The index that keeps snapshot metadata on servers before 7.3 (which cannot keep it in the
   * snapshot): `a4c-admin-snapshot-metadata` (no prefix) by default; openBackends gives the prefixed one.
   */
  metadataIndex?: string;
}

export function createSnapshotStore(client: Client, repository: RepositoryConfig, options: SnapshotStoreOptions = {}): SnapshotStore {
  const dialect = options.dialect ?? DEFAULT_DIALECT;
  const context: SnapshotStoreContext = {
    client,
    repository,
    pollIntervalMs: options.pollIntervalMs ?? 500,
    restoreTimeoutMs: options.restoreTimeoutMs ?? 3_600_000,
    signal: options.signal,
    dialect,
    metadataIndex: dialect.snapshotMetadata
      ? undefined
      : createSnapshotMetadataIndex(client, dialect, repository.name, options.metadataIndex ?? snapshotMetadataIndexName()),
  };
  return {
    ensureRepository: () => ensureRepository(client, repository),
    running: () => runningSnapshotsAndRestores(context),
    remove: (name) => removeSnapshot(context, name),
    async get(name) {
      const raw = await getRawSnapshot(context, name);
      return raw ? toInfo(repository.name, raw) : undefined;
    },
    list: () => listSnapshots(context),
    create: (request, progress) => createSnapshot(context, request, progress),
    restore: (request, progress) => restoreSnapshot(context, request, progress),
  };
}
