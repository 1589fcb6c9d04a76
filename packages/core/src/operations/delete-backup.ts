// delete(): a backup's snapshot and folder go together. The folder is first renamed out of
// sight, so a crash never leaves something that is listed as a backup but is half gone.
import { rename, rm, stat } from 'node:fs/promises';
import type { A4cAdminConfig } from '../config-schema.js';
import { throwIfCancelled } from '../cancellation.js';
import { A4cAdminError } from '../errors.js';
import { createFileLock } from '../file-lock.js';
import { readManifest } from '../manifest.js';
import type { SnapshotStore } from '../ports.js';
import { validateBackupName } from './backup-name.js';
import { backupPaths } from './backup-paths.js';

export interface DeleteResult {
  name: string;
  snapshotDeleted: boolean;
  folderDeleted: boolean;
}

export async function deleteBackup(options: {
  config: A4cAdminConfig;
  snapshots: SnapshotStore;
  name: string;
  /** Already holding the backup folder's lock (prune): do not take it again. */
  locked?: boolean;
  /** Checked before the deletion starts (Ctrl-C); once started, a deletion goes to its end. */
  signal?: AbortSignal;
}): Promise<DeleteResult> {
  const name = validateBackupName(options.name);
  const paths = backupPaths(options.config, name);
  const lock = options.locked ? undefined : await createFileLock(options.config.backup.files_dir).acquire('delete');
  try {
    const exists = await stat(paths.folder).then(() => true, () => false);
    const manifest = exists ? await readManifest(paths.folder).catch(() => undefined) : undefined;
    const snapshotName = manifest?.snapshot?.name ?? name;
    const snapshot = await options.snapshots.get(snapshotName);
    // Only our own snapshots: one of the same name that a4c-admin did not take is left alone.
    const ours = snapshot && (snapshot.metadata?.tool === 'a4c-admin' || snapshot.uuid === manifest?.snapshot?.uuid);
    if (!exists && !ours) {
      throw new A4cAdminError('BACKUP_NOT_FOUND', `There is no backup named "${name}".`, { hint: '`a4c-admin list` shows the backups that exist.' });
    }
    // The last point where a cancel leaves the backup as it was; past it, half a deletion is worse.
    throwIfCancelled(options.signal, () => `Deleting backup "${name}" was cancelled before anything was deleted.`, 'Run the delete again when ready.');
    if (exists) await rename(paths.folder, paths.deleting);
    if (ours) await options.snapshots.remove(snapshotName);
    if (exists) await rm(paths.deleting, { recursive: true, force: true });
    return { name, snapshotDeleted: Boolean(ours), folderDeleted: exists };
  } finally {
    await lock?.release();
  }
}
