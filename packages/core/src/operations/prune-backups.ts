// prune(): deletes the backups that the keep rules do not keep. Broken backups are never
// pruned automatically (an operator should look at them), and a dry run only reports.

import { throwIfCancelled } from '../cancellation.js';
import type { A4cAdminConfig } from '../config-schema.js';
import { A4cAdminError } from '../errors.js';
import type { SnapshotStore } from '../ports.js';
import { createProgressReporter, type ProgressListener, type ProgressReporter } from '../progress.js';
import { deleteBackup } from './delete-backup.js';
import { installationLock } from './installation-lock.js';
import { type BackupSummary, listBackups } from './list-backups.js';
import { decidePrune, type PrunePolicy, policyKeepsAnything } from './prune-policy.js';
import { parseRetentionDuration } from './retention-duration.js';

export interface PruneResult {
  dryRun: boolean;
  kept: Array<{ name: string; reasons: string[] }>;
  deleted: string[];
  /** Broken backups, left alone. */
  skipped: string[];
}

export async function pruneBackups(options: {
  config: A4cAdminConfig;
  snapshots: SnapshotStore;
  policy: PrunePolicy;
  dryRun?: boolean;
  onProgress?: ProgressListener;
  /** Stops between two deletions (Ctrl-C): each backup is deleted whole or not at all. */
  signal?: AbortSignal;
}): Promise<PruneResult> {
  const { policy } = options;
  if (!policyKeepsAnything(policy)) {
    throw new A4cAdminError('USAGE', 'prune needs at least one keep rule of 1 or more (or a --keep-within duration).', {
      hint: 'For example `a4c-admin prune --keep-last 7 --keep-weekly 4`, or `--keep-within 30d --keep-monthly 12`.',
    });
  }
  // A malformed duration is refused before the lock is taken or anything is listed.
  if (policy.keepWithin !== undefined) parseRetentionDuration(policy.keepWithin);
  const progress = createProgressReporter('prune', options.onProgress);
  throwIfCancelled(options.signal, () => 'Prune was cancelled before it started; no backup was deleted.', 'Run the prune again when ready.');
  // The list is read under the lock: what is decided is what is still there when it is deleted.
  const lock = options.dryRun ? undefined : await installationLock(options.config).acquire('prune');
  try {
    return await pruneUnderLock(options, progress);
  } finally {
    await lock?.release();
  }
}

async function pruneUnderLock(options: Parameters<typeof pruneBackups>[0], progress: ProgressReporter): Promise<PruneResult> {
  const { policy } = options;
  // A cancel while listing ends the list's own way (CANCELLED, nothing deleted).
  const backups = await listBackups({ config: options.config, snapshots: options.snapshots, signal: options.signal });
  const complete = backups.filter((backup): backup is BackupSummary & { startedAt: string } => backup.state === 'complete' && backup.startedAt !== undefined);
  const decision = decidePrune(complete, policy);
  const result: PruneResult = {
    dryRun: options.dryRun === true,
    kept: decision.keep.map((backup) => ({ name: backup.name, reasons: backup.reasons })),
    deleted: [],
    skipped: backups.filter((backup) => backup.state === 'broken').map((backup) => backup.name),
  };
  if (options.dryRun) return { ...result, deleted: decision.remove.map((backup) => backup.name) };
  for (const [position, backup] of decision.remove.entries()) {
    throwIfCancelled(
      options.signal,
      () =>
        `Prune was cancelled after deleting ${result.deleted.length} of ${decision.remove.length} backups (${result.deleted.join(', ') || 'none'}); every other backup is whole and untouched.`,
      'Run the prune again to delete the rest.',
    );
    progress.emit({ phase: 'delete', kind: 'progress', item: backup.name, done: position, total: decision.remove.length });
    await deleteBackup({ config: options.config, snapshots: options.snapshots, name: backup.name, locked: true });
    result.deleted.push(backup.name);
  }
  return result;
}
