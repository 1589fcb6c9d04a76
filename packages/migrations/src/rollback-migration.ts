// Rolls the last migration step back: one atomic alias update points every A4C name at its
// old index again (kept, write-blocked, since the migration), writes are allowed on them
// again, and the marker goes back to the old version. The new indices stay until a re-run or
// finalize; a re-run rebuilds them from the old ones.
// A first migration that kept the plain indices in its rollback snapshot (rollback-snapshot.ts)
// has no old indices: they are restored from it under their versioned names first (still
// write-blocked, as they were snapshotted), and the snapshot is deleted once the names point at
// them, before the marker: from then on those indices are the old ones, as after a copy-based
// adoption. A rollback killed before that deletion restores them again (A4C is stopped: nothing
// was written to them in between), so the snapshot exists only while nothing else holds its documents.
import {
  A4cAdminError,
  type AliasAction,
  a4cIndexName,
  type DataVersionMarker,
  type IndexWriter,
  type Lock,
  type MigrationStateStore,
  type ProgressListener,
  type SnapshotStore,
  versionedIndexName,
} from '@a4c-admin/core';
import { createProgressReporter, isToolsVersionedIndex, throwIfCancelled, versionedIndexWildcard } from '@a4c-admin/core/internal';
import { markerAfterRollback } from './data-version.js';
import { inspectNames, sourceNames } from './migration-layout.js';
import { stepTo } from './registry.js';
import { isRollbackSnapshotOf, rollbackSnapshotName, snapshotHolds, versionedRename } from './rollback-snapshot.js';
import type { MigrationStep } from './step.js';
import { storageStep } from './storage-step.js';

export interface RollbackMigrationOptions {
  writer: IndexWriter;
  state: MigrationStateStore;
  indexPrefix?: string;
  lock?: Lock;
  onProgress?: ProgressListener;
  /** The configured fs repository: where a first migration may have kept the plain indices (runMigration's `snapshots`). */
  snapshots?: SnapshotStore;
  /**
   * Checked up to the alias swap (Ctrl-C): stopped there, nothing was changed. Once the names
   * point back at the old indices, the rollback goes to its end (unblocks, marker).
   */
  signal?: AbortSignal;
}

export interface RollbackResult {
  from: string;
  to: string;
  /** A4C names now pointing at their old index. */
  restored: string[];
  marker: DataVersionMarker;
}

/** The last applied step and its registry definition, or PRECONDITION_FAILED. */
export async function lastAppliedStep(state: MigrationStateStore): Promise<{ marker: DataVersionMarker; step: MigrationStep }> {
  const marker = await state.readMarker();
  const last = marker?.history[marker.history.length - 1];
  if (!marker || !last || last.to !== marker.version) {
    throw new A4cAdminError('PRECONDITION_FAILED', 'No migration step is recorded in the data-version marker.', {
      hint: 'Only a migration made by this tool (and not yet rolled back) can be rolled back or finalized.',
      details: { version: marker?.version },
    });
  }
  const step = stepTo(last.to);
  if (!step || step.from !== last.from) {
    throw new A4cAdminError('MIGRATION_PATH', `This tool does not know the recorded step ${last.from} -> ${last.to}.`, {
      hint: 'Use the a4c-admin version that made the migration.',
      details: { from: last.from, to: last.to },
    });
  }
  return { marker, step };
}

export async function rollbackMigration(options: RollbackMigrationOptions): Promise<RollbackResult> {
  const progress = createProgressReporter('rollback', options.onProgress);
  const prefix = options.indexPrefix ?? '';
  const handle = options.lock ? await options.lock.acquire('rollback') : undefined;
  try {
    throwIfCancelled(options.signal, () => 'The rollback was cancelled before it started: nothing was changed.', 'Run the rollback again when ready.');
    const applied = await lastAppliedStep(options.state);
    const { marker } = applied;
    // The cluster's storage indices: A4C's ES 1.x indices on a multi-type cluster, the A4C names elsewhere.
    const step = storageStep(applied.step, await options.state.storageLayout()).storage;
    const oldIndices = new Set(await options.state.listIndices(versionedIndexWildcard(step.from, prefix)));
    const snapshotName = rollbackSnapshotName(step, prefix);
    // Only the snapshot this step's migration took: one that merely has its name is neither restored nor deleted.
    const found = options.snapshots ? await options.snapshots.get(snapshotName) : undefined;
    const snapshot = isRollbackSnapshotOf(found, step) ? found : undefined;
    const inSnapshot = snapshot?.state === 'SUCCESS' ? snapshotHolds(snapshot.indices, sourceNames(step), prefix) : new Set<string>();
    // A name that held documents after the step but has no old index would vanish: refuse
    // (the step was finalized, or someone deleted old indices) rather than lose its data view.
    const last = marker.history[marker.history.length - 1]!;
    const lost = Object.entries(step.indices)
      .filter(
        ([name, migration]) =>
          (last.counts[name] ?? 0) > 0 &&
          !(migration.source && (oldIndices.has(versionedIndexName(migration.source, step.from, prefix)) || inSnapshot.has(migration.source))),
      )
      .map(([name]) => a4cIndexName(name, prefix));
    if ((oldIndices.size === 0 && inSnapshot.size === 0) || lost.length > 0) {
      throw new A4cAdminError(
        'PRECONDITION_FAILED',
        `The ${step.from} indices needed to roll back are gone${lost.length > 0 ? ` (${lost.slice(0, 5).join(', ')})` : ''}: the migration was finalized.`,
        {
          hint: `Nothing was changed. To go back to ${step.from}, restore the pre-migration backup.`,
          details: { missing: lost },
        },
      );
    }
    // The names go back onto the old indices only if the tool made them (the snapshot's restore checks its own targets).
    const kept = sourceNames(step)
      .filter((name) => !inSnapshot.has(name))
      .map((name) => ({ plain: a4cIndexName(name, prefix), old: versionedIndexName(name, step.from, prefix) }))
      .filter(({ old }) => oldIndices.has(old));
    const facts = await options.state.ownership(kept.map(({ old }) => old));
    const foreign = kept.filter(({ plain, old }) => !isToolsVersionedIndex(facts[old], plain)).map(({ old }) => old);
    if (foreign.length > 0) {
      throw new A4cAdminError(
        'PRECONDITION_FAILED',
        `The rollback would point A4C's names at ${foreign.join(', ')}, which a4c-admin did not make; nothing was changed.`,
        {
          hint: `Those indices have the names of the ${step.from} indices the migration kept. If they are yours, rename them (or move their documents) and put the migration's own back, or restore the pre-migration backup to go back to ${step.from}.`,
          details: { indices: foreign },
        },
      );
    }
    if (options.snapshots && inSnapshot.size > 0) {
      throwIfCancelled(options.signal, () => 'The rollback was cancelled before its restore: nothing was changed.', 'Run the rollback again when ready.');
      const plain = [...inSnapshot].map((name) => a4cIndexName(name, prefix));
      progress.emit({ phase: 'restore', kind: 'start', total: plain.length, message: `Restoring the ${step.from} indices from snapshot ${snapshotName}.` });
      // Over what a killed rollback restored already (closed or deleted by the restore first), and
      // over nothing else: an index someone made under a -v<from> name since the migration is refused.
      await options.snapshots.restore({ name: snapshotName, indices: plain, rename: versionedRename(step.from), replace: 'earlier-restores' });
      for (const name of inSnapshot) oldIndices.add(versionedIndexName(name, step.from, prefix));
      progress.emit({ phase: 'restore', kind: 'end', done: plain.length, total: plain.length });
    }
    const layouts = await inspectNames(options.state, Object.keys(step.indices), prefix);
    const actions: AliasAction[] = [];
    const restored: string[] = [];
    for (const name of Object.keys(step.indices)) {
      const layout = layouts[name]!;
      if (layout.kind === 'alias') for (const index of layout.indices) actions.push({ remove: { index, alias: a4cIndexName(name, prefix) } });
    }
    for (const name of sourceNames(step)) {
      const old = versionedIndexName(name, step.from, prefix);
      if (!oldIndices.has(old)) continue;
      actions.push({ add: { index: old, alias: a4cIndexName(name, prefix) } });
      restored.push(a4cIndexName(name, prefix));
    }
    throwIfCancelled(options.signal, () => 'The rollback was cancelled before its alias swap: nothing was changed.', 'Run the rollback again when ready.');
    progress.emit({ phase: 'swap', kind: 'start', total: actions.length });
    await options.state.updateAliases(actions);
    progress.emit({ phase: 'swap', kind: 'end', message: `Every A4C name points at its ${step.from} index again.` });
    for (const name of sourceNames(step)) {
      const old = versionedIndexName(name, step.from, prefix);
      if (oldIndices.has(old)) await options.writer.setWriteBlock(old, false);
    }
    if (options.snapshots && snapshot) await options.snapshots.remove(snapshotName);
    const next = markerAfterRollback(marker);
    await options.state.writeMarker(next);
    progress.emit({ phase: 'marker', kind: 'info', message: `Data-version marker set back to ${step.from}.` });
    return { from: step.to, to: step.from, restored, marker: next };
  } finally {
    await handle?.release();
  }
}
