// Who owns what: a backup folder is ours only when a4c-admin made it, and a snapshot belongs to
// exactly one backup folder. Both are proved before anything is deleted, because a folder can be
// copied (`cp -a`), renamed, or shared by two configurations that point at one repository.
//
// - When a backup creates `.partial-<name>`, it first writes BACKUP_MARKER_FILE there (kept in
//   the complete backup): a folder without it and without a valid manifest is not ours.
// - Each backup run draws a random id, recorded in the marker, the manifest and the snapshot's
//   metadata, with the location of its folder (a hash of the real path of backup.files_dir and
//   the backup's name). A copy has the id but not the location; a snapshot taken by another
//   run has neither.
// - Snapshots taken before ids existed (metadata without `backupId`) are deleted only when the
//   tool's tag, the backup name, the folder's name and the snapshot uuid all agree with the
//   manifest. Such a backup copied under the SAME name into another backup.files_dir cannot be
//   told from its original: that limit stays for old backups only.
import { createHash, randomUUID } from 'node:crypto';
import { realpath, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Manifest } from '../manifest.js';
import type { SnapshotInfo } from '../ports.js';
import { readRegularTextFile } from '../read-regular-file.js';

/** Written by a backup into `.partial-<name>` before anything else, and kept in the complete backup. */
export const BACKUP_MARKER_FILE = '.a4c-admin-backup.json';

export interface BackupMarker {
  tool: 'a4c-admin';
  name: string;
  backupId: string;
  createdAt: string;
}

/** A fresh, unguessable id for one backup run. */
export function newBackupId(): string {
  return randomUUID();
}

/**
 * Where a backup named `name` lives, as a short key that survives symlinks, `..` and trailing
 * slashes in backup.files_dir (the real path is hashed); recorded in the snapshot's metadata.
 */
export async function backupLocationKey(filesDir: string, name: string): Promise<string> {
  const real = await realpath(filesDir).catch(() => resolve(filesDir));
  return createHash('sha256').update(`${real}\0${name}`).digest('hex').slice(0, 32);
}

/** The snapshot metadata that ties a snapshot to one backup folder. */
export function ownershipMetadata(name: string, backupId: string, location: string): Record<string, string> {
  return { tool: 'a4c-admin', backup: name, backupId, location };
}

export async function writeBackupMarker(folder: string, marker: Omit<BackupMarker, 'tool' | 'createdAt'>): Promise<void> {
  const content: BackupMarker = { tool: 'a4c-admin', ...marker, createdAt: new Date().toISOString() };
  await writeFile(join(folder, BACKUP_MARKER_FILE), `${JSON.stringify(content)}\n`, { mode: 0o600, flag: 'wx' });
}

/** The marker of a folder, or undefined when it has none (or one that is not ours). */
export async function readBackupMarker(folder: string): Promise<BackupMarker | undefined> {
  try {
    const parsed = JSON.parse(await readRegularTextFile(join(folder, BACKUP_MARKER_FILE), { noFollow: true })) as Partial<BackupMarker>;
    if (parsed.tool === 'a4c-admin' && typeof parsed.name === 'string' && typeof parsed.backupId === 'string') {
      return { tool: 'a4c-admin', name: parsed.name, backupId: parsed.backupId, createdAt: String(parsed.createdAt ?? '') };
    }
  } catch {
    // absent, unreadable, not a regular file (never waited on) or not JSON: not a marker
  }
  return undefined;
}

export type Ownership = { owned: true } | { owned: false; reason: string };

/**
 * Whether `snapshot` belongs to the backup folder `folder` (whose manifest and marker are given
 * when readable). Only an owned snapshot may be deleted along with the folder.
 */
export async function judgeSnapshotOwnership(options: {
  snapshot: SnapshotInfo;
  folder: string;
  filesDir: string;
  manifest?: Manifest;
  marker?: BackupMarker;
}): Promise<Ownership> {
  const { snapshot, folder, manifest, marker } = options;
  const folderName = basename(folder);
  const metadata = snapshot.metadata ?? {};
  if (metadata.tool !== 'a4c-admin') return { owned: false, reason: `snapshot ${snapshot.name} was not taken by a4c-admin` };
  const recordedName = manifest?.name ?? marker?.name;
  if (recordedName !== undefined && recordedName !== folderName) {
    return { owned: false, reason: `the folder "${folderName}" is a copy of backup "${recordedName}", whose snapshot it is` };
  }
  if (manifest?.snapshot && manifest.snapshot.uuid !== snapshot.uuid) {
    return { owned: false, reason: `snapshot ${snapshot.name} is another snapshot than the one this backup recorded (uuid ${snapshot.uuid})` };
  }
  const backupId = manifest?.backupId ?? marker?.backupId;
  if (typeof metadata.backupId === 'string') {
    if (backupId !== metadata.backupId) return { owned: false, reason: `snapshot ${snapshot.name} belongs to another backup run (its backup id differs)` };
    const location = await backupLocationKey(options.filesDir, folderName);
    if (metadata.location !== location) {
      return { owned: false, reason: `snapshot ${snapshot.name} belongs to the backup "${folderName}" in another folder (this one is a copy)` };
    }
    return { owned: true };
  }
  // Taken before backup ids existed: name, folder name and uuid must all agree (see above).
  if (!manifest?.snapshot || metadata.backup !== folderName) {
    return { owned: false, reason: `snapshot ${snapshot.name} carries no backup id and cannot be proved to be this backup's` };
  }
  return { owned: true };
}
