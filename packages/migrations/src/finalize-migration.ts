// Finalizes the last migration step: deletes the old versioned indices it kept for rollback,
// and the rollback snapshot of a first migration (rollback-snapshot.ts), once the A4C names are
// checked to point at the new ones.
import {
  A4cAdminError,
  a4cIndexName,
  type IndexWriter,
  type Lock,
  type MigrationStateStore,
  type ProgressListener,
  type SnapshotStore,
  versionedIndexName,
} from '@a4c-admin/core';
import { createProgressReporter, isToolsVersionedIndex, throwIfCancelled, versionedIndexWildcard } from '@a4c-admin/core/internal';
import { inspectNames, sourceNames } from './migration-layout.js';
import { lastAppliedStep } from './rollback-migration.js';
import { isRollbackSnapshotOf, rollbackSnapshotName } from './rollback-snapshot.js';
import { storageStep } from './storage-step.js';

export interface FinalizeMigrationOptions {
  writer: IndexWriter;
  state: MigrationStateStore;
  indexPrefix?: string;
  lock?: Lock;
  onProgress?: ProgressListener;
  /** The configured fs repository, where a first migration may have kept the plain indices for the rollback. */
  snapshots?: SnapshotStore;
  /** Checked before each old index is deleted (Ctrl-C): those deleted are listed, a re-run deletes the rest. */
  signal?: AbortSignal;
}

export interface FinalizeResult {
  version: string;
  /** Old indices deleted. */
  deleted: string[];
  /** Indices under an old index's name that a4c-admin did not make: not deleted (a warning says so). */
  leftAlone: string[];
  /** The rollback snapshot of a first migration, deleted (rollback-snapshot.ts). */
  deletedSnapshot?: string;
}

export async function finalizeMigration(options: FinalizeMigrationOptions): Promise<FinalizeResult> {
  const progress = createProgressReporter('finalize', options.onProgress);
  const prefix = options.indexPrefix ?? '';
  const handle = options.lock ? await options.lock.acquire('finalize') : undefined;
  try {
    throwIfCancelled(options.signal, () => 'The finalize was cancelled before it started: nothing was deleted.', 'Run the finalize again when ready.');
    // The cluster's storage indices: A4C's ES 1.x indices on a multi-type cluster, the A4C names elsewhere.
    const step = storageStep((await lastAppliedStep(options.state)).step, await options.state.storageLayout()).storage;
    const layouts = await inspectNames(options.state, Object.keys(step.indices), prefix);
    const wrong = Object.keys(step.indices).filter((name) => {
      const layout = layouts[name]!;
      return !(layout.kind === 'alias' && layout.indices.length === 1 && layout.indices[0] === versionedIndexName(name, step.to, prefix));
    });
    if (wrong.length > 0) {
      throw new A4cAdminError(
        'PRECONDITION_FAILED',
        `Not every A4C name points at its ${step.to} index (${wrong
          .map((name) => a4cIndexName(name, prefix))
          .slice(0, 5)
          .join(', ')}).`,
        {
          hint: 'Nothing was deleted. Run the migration again to finish it before finalizing.',
          details: { names: wrong },
        },
      );
    }
    const existing = new Set(await options.state.listIndices(versionedIndexWildcard(step.from, prefix)));
    const olds = sourceNames(step)
      .map((name) => ({ plain: a4cIndexName(name, prefix), old: versionedIndexName(name, step.from, prefix) }))
      .filter(({ old }) => existing.has(old));
    // Only what the tool made: an index someone created under one of its names is left alone, and said.
    const facts = await options.state.ownership(olds.map(({ old }) => old));
    const leftAlone = olds.filter(({ plain, old }) => !isToolsVersionedIndex(facts[old], plain)).map(({ old }) => old);
    for (const old of leftAlone) {
      progress.emit({
        phase: 'delete',
        kind: 'warning',
        item: old,
        message: `${old} has the name of a pre-migration index but a4c-admin did not make it: left alone. Delete it yourself if it is not needed.`,
      });
    }
    const deleted: string[] = [];
    for (const { old } of olds) {
      if (leftAlone.includes(old)) continue;
      throwIfCancelled(
        options.signal,
        () =>
          `The finalize was cancelled: ${deleted.length === 0 ? 'no old index was deleted' : `deleted ${deleted.join(', ')}`}; the A4C names point at the ${step.to} indices.`,
        'Run the finalize again to delete the old indices that are left.',
      );
      await options.writer.remove(old);
      deleted.push(old);
      progress.emit({ phase: 'delete', kind: 'progress', item: old, done: deleted.length });
    }
    const snapshotName = rollbackSnapshotName(step, prefix);
    if (options.snapshots && isRollbackSnapshotOf(await options.snapshots.get(snapshotName), step)) {
      await options.snapshots.remove(snapshotName);
      progress.emit({ phase: 'delete', kind: 'info', item: snapshotName, message: `Rollback snapshot ${snapshotName} deleted.` });
      return { version: step.to, deleted, leftAlone, deletedSnapshot: snapshotName };
    }
    return { version: step.to, deleted, leftAlone };
  } finally {
    await handle?.release();
  }
}
