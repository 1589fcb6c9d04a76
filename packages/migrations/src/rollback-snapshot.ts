// The snapshot that keeps a plain 1.1.0 installation's indices for the rollback, instead of
// `<name>-v<from>` copies. A first migration made copies of every plain index only so that a
// rollback could point the names back at them: 34 index creations for the sample installation,
// each a cluster-state update persisted with synced writes, and most of that migration's time.
// One snapshot of the write-blocked plain indices into the configured fs repository holds the
// same documents, mappings and settings for a few cluster-state updates; the rollback restores
// it under the versioned names (rollbackMigration), the finalize deletes it.
//
// Its name is derived from the step and the prefix, so that a rollback, a finalize or a re-run
// find it without the marker (which a run killed after its alias swap has not written yet).
import { A4cAdminError, a4cIndexName, type SnapshotInfo, type SnapshotStore, versionedIndexName } from '@a4c-admin/core';
import type { MigrationStep } from './step.js';

/** `a4c-admin-rollback-<prefix><from>-to-<to>`, lowercased, characters Elasticsearch refuses in a snapshot name replaced. */
export function rollbackSnapshotName(step: Pick<MigrationStep, 'from' | 'to'>, prefix: string): string {
  return `a4c-admin-rollback-${prefix}${step.from}-to-${step.to}`.toLowerCase().replace(/[\s\\/*?"<>|,#:]/g, '-');
}

/** The restore of plain names under their versioned names: `<prefix><name>` -> `<prefix><name>-v<from>`. */
export function versionedRename(from: string): { pattern: string; replacement: string } {
  return { pattern: '^(.*)$', replacement: versionedIndexName('$1', from) };
}

/**
 * The store when its repository can be used (registered, verified on every node), else
 * undefined: a node without `path.repo` for it, or a repository it cannot write, leaves the
 * migration to copy the plain indices as before rather than fail.
 */
export async function usableSnapshots(snapshots: SnapshotStore): Promise<SnapshotStore | undefined> {
  try {
    await snapshots.ensureRepository();
    return snapshots;
  } catch {
    return undefined;
  }
}

/** What takeRollbackSnapshot records in the snapshot: how a rollback, a finalize or a re-run knows it as theirs. */
function rollbackMetadata(step: Pick<MigrationStep, 'from' | 'to'>): Record<string, unknown> {
  return { a4cAdmin: 'rollback', from: step.from, to: step.to };
}

/**
 * Whether `snapshot` is the rollback snapshot of `step`, as takeRollbackSnapshot wrote it. A
 * snapshot that merely has its name (another tool's, an operator's) is never used, restored over
 * the indices, or deleted.
 */
export function isRollbackSnapshotOf(snapshot: SnapshotInfo | undefined, step: Pick<MigrationStep, 'from' | 'to'>): snapshot is SnapshotInfo {
  const expected = rollbackMetadata(step);
  return snapshot !== undefined && Object.entries(expected).every(([key, value]) => snapshot.metadata?.[key] === value);
}

/** A snapshot of the rollback snapshot's name that this tool did not take, refused before anything is changed. */
export function foreignSnapshotError(name: string): A4cAdminError {
  return new A4cAdminError(
    'PRECONDITION_FAILED',
    `The snapshot repository holds a snapshot named "${name}" that a4c-admin did not take as a migration's rollback snapshot: it is left alone.`,
    { hint: 'Rename or delete that snapshot yourself if it is not needed, or configure another elasticsearch.repository, then run the command again.' },
  );
}

/**
 * Takes the rollback snapshot of `plainIndices` (write-blocked by the caller), after deleting
 * one of that name left by a run that died before its alias swap (deleting a running snapshot
 * aborts it): the snapshot always holds the indices as they are now. A snapshot of that name
 * that is not ours is refused (the caller checks it before changing anything: this is the
 * last line).
 */
export async function takeRollbackSnapshot(snapshots: SnapshotStore, name: string, plainIndices: string[], step: MigrationStep): Promise<void> {
  const existing = await snapshots.get(name);
  if (existing && !isRollbackSnapshotOf(existing, step)) throw foreignSnapshotError(name);
  if (existing) await snapshots.remove(name);
  await snapshots.create({ name, indices: plainIndices, metadata: rollbackMetadata(step) });
}

/** The plain A4C names a step's rollback snapshot holds, by storage name. */
export function snapshotHolds(indices: string[], names: string[], prefix: string): Set<string> {
  const held = new Set(indices);
  return new Set(names.filter((name) => held.has(a4cIndexName(name, prefix))));
}
