// delete(): a backup's folder, and its snapshot when the snapshot provably belongs to that folder
// (see backup-ownership.ts). The folder is first renamed out of sight, so a crash never leaves
// something that is listed as a backup but is half gone. Only folders a4c-admin made (its
// marker, or a valid manifest) are ever deleted: backup.files_dir may hold other folders.
import { lstat, rename, rm } from 'node:fs/promises';
import { throwIfCancelled } from '../cancellation.js';
import type { A4cAdminConfig } from '../config-schema.js';
import { A4cAdminError } from '../errors.js';
import { readManifest } from '../manifest.js';
import type { SnapshotStore } from '../ports.js';
import { validateBackupName } from './backup-name.js';
import { BACKUP_MARKER_FILE, backupLocationKey, judgeSnapshotOwnership, readBackupMarker } from './backup-ownership.js';
import { backupPaths } from './backup-paths.js';
import { installationLock } from './installation-lock.js';

export interface DeleteResult {
  name: string;
  snapshotDeleted: boolean;
  folderDeleted: boolean;
  /** Why a snapshot of that name was kept (it belongs to another backup folder, or to no a4c-admin backup). */
  snapshotKept?: string;
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
  const filesDir = options.config.backup.files_dir;
  const paths = backupPaths(options.config, name);
  const lock = options.locked ? undefined : await installationLock(options.config).acquire('delete');
  try {
    // Every refusal is decided here, before the first change.
    const info = await lstat(paths.folder).catch(() => undefined);
    if (!info) return await deleteOrphanSnapshot(options.snapshots, filesDir, name);
    if (!info.isDirectory()) {
      throw new A4cAdminError(
        'UNSAFE_PATH',
        `${paths.folder} is not a backup folder (it is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}); it was left alone.`,
        {
          hint: 'Only folders a4c-admin made are deleted; `a4c-admin list` shows the backups.',
        },
      );
    }
    const manifest = await readManifest(paths.folder).catch(() => undefined);
    const marker = await readBackupMarker(paths.folder);
    if (!manifest && !marker) {
      throw new A4cAdminError(
        'UNSAFE_PATH',
        `${paths.folder} is not a backup made by a4c-admin (no valid manifest.json, no ${BACKUP_MARKER_FILE}); nothing was deleted.`,
        {
          hint: 'a4c-admin deletes only the backups it made. Remove other folders yourself, or keep backup.files_dir for backups only.',
          details: { folder: paths.folder },
        },
      );
    }
    const snapshotName = manifest ? manifest.snapshot?.name : name;
    const snapshot = snapshotName ? await options.snapshots.get(snapshotName) : undefined;
    const ownership = snapshot ? await judgeSnapshotOwnership({ snapshot, folder: paths.folder, filesDir, manifest, marker }) : undefined;

    // The last point where a cancel leaves the backup as it was; past it, half a deletion is worse.
    throwIfCancelled(options.signal, () => `Deleting backup "${name}" was cancelled before anything was deleted.`, 'Run the delete again when ready.');
    await rename(paths.folder, paths.deleting);
    if (ownership?.owned) await options.snapshots.remove(snapshotName!);
    await rm(paths.deleting, { recursive: true, force: true });
    return {
      name,
      snapshotDeleted: ownership?.owned === true,
      folderDeleted: true,
      ...(ownership && !ownership.owned ? { snapshotKept: `snapshot ${snapshotName} was kept: ${ownership.reason}` } : {}),
    };
  } finally {
    await lock?.release();
  }
}

/** No folder: only the snapshot a killed backup of THIS folder left (its metadata names this location) is deleted. */
async function deleteOrphanSnapshot(snapshots: SnapshotStore, filesDir: string, name: string): Promise<DeleteResult> {
  const snapshot = await snapshots.get(name);
  const location = await backupLocationKey(filesDir, name);
  if (snapshot?.metadata?.tool !== 'a4c-admin' || snapshot.metadata.location !== location) {
    throw new A4cAdminError('BACKUP_NOT_FOUND', `There is no backup named "${name}" in ${filesDir}.`, {
      hint: snapshot
        ? `\`a4c-admin list\` shows the backups that exist. The repository's snapshot "${name}" is not this folder's backup and was left alone.`
        : '`a4c-admin list` shows the backups that exist.',
    });
  }
  await snapshots.remove(name);
  return { name, snapshotDeleted: true, folderDeleted: false };
}
