// pull: brings a remote backup back into backup.files_dir (and, for a snapshot backup, its fs
// repository files into elasticsearch.repository.location), so that the ordinary restore runs
// on a bare host. The folder is filled under `.pulling-<name>/` and renamed into place once its
// manifest checks: an interrupted pull never leaves a folder that looks like a backup, and the
// next pull keeps every file already fetched whole.
import { chmod, lchown, lstat, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { A4cAdminConfig } from '../config-schema.js';
import { A4cAdminError, isA4cAdminError } from '../errors.js';
import { readManifest } from '../manifest.js';
import { identityCodec } from '../object-store.js';
import { backupPaths, sha256File } from '../operations/backup-paths.js';
import { createProgressReporter, type ProgressListener } from '../progress.js';
import { mapConcurrently } from '../task-pool.js';
import type { RemoteAccess } from './remote-backups.js';
import { blobKeyIdOf, type RemoteFile } from './remote-manifest.js';
import { readRemoteManifest } from './remote-read.js';
import { downloadBlob } from './remote-transfer.js';

export interface PullResult {
  name: string;
  /** The local backup folder. */
  folder: string;
  /** Files fetched now, and bytes; files already whole (an earlier pull, or the backup already local) are not fetched again. */
  downloadedFiles: number;
  downloadedBytes: number;
  /** True when the local backup folder already held this very backup. */
  alreadyLocal: boolean;
  /** Snapshot backups: whether the repository files were fetched into the repository folder. */
  repository?: 'fetched' | 'present';
}

/**
 * Fetches the remote backup `name` into backup.files_dir (and its snapshot repository).
 * @throws A4cAdminError BACKUP_NOT_FOUND, BACKUP_EXISTS (another local backup of that name),
 *   CHECKSUM_MISMATCH / REMOTE_OBJECT_MISSING (the store lost or altered an object), REMOTE_*.
 */
export async function pullBackup(options: RemoteAccess & { config: A4cAdminConfig; name: string; onProgress?: ProgressListener }): Promise<PullResult> {
  const { store, config, name, signal } = options;
  const codec = options.codec ?? identityCodec;
  const progress = createProgressReporter('pull', options.onProgress);
  await store.check(signal ? { signal } : {});
  const manifest = await readRemoteManifest(store, codec, name, signal);
  const folder = backupPaths(config, name).folder;
  const local = await readManifest(folder).catch((error) => {
    if (isA4cAdminError(error) && error.code === 'BACKUP_NOT_FOUND') return undefined;
    throw error;
  });
  if (local && local.manifestSha256 !== manifest.backup.manifestSha256) {
    throw new A4cAdminError('BACKUP_EXISTS', `${folder} holds another backup named "${name}" than the remote one.`, {
      hint: `Rename or delete the local one (\`a4c-admin delete ${name}\`) to restore the remote one.`,
    });
  }
  // The objects of a layout 3 encrypted backup are named with its key id; older layouts name none.
  const keyId = blobKeyIdOf(manifest);
  let downloadedFiles = 0;
  let downloadedBytes = 0;
  const fetch = async (files: RemoteFile[], root: string, mode: (file: RemoteFile) => number) => {
    const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
    progress.emit({ phase: 'download', kind: 'start', total: files.length, totalBytes });
    await mapConcurrently(
      files,
      config.remote?.concurrency ?? 8,
      async (file) => {
        const target = join(root, file.path);
        if (await holds(target, file)) return;
        await downloadBlob(store, codec, { ...file, keyId }, target, {
          ...(signal ? { signal } : {}),
          onBytes: (bytes) => {
            downloadedBytes += bytes;
          },
        });
        await chmod(target, mode(file));
        downloadedFiles += 1;
        progress.emit({ phase: 'download', kind: 'progress', item: file.path, done: downloadedFiles, total: files.length, bytes: downloadedBytes, totalBytes });
      },
      { ...(signal ? { signal } : {}), cancelHint: `Run it again: the files fetched whole are kept.` },
    );
    progress.emit({ phase: 'download', kind: 'end' });
  };

  let repository: PullResult['repository'];
  if (manifest.repository) {
    const location = config.elasticsearch.repository.location;
    if (!isAbsolute(location)) {
      throw new A4cAdminError(
        'PRECONDITION_FAILED',
        `The remote backup "${name}" holds a snapshot, and elasticsearch.repository.location ("${location}") is not a folder this host can write.`,
        {
          hint: "Set elasticsearch.repository.location to the absolute folder of the repository (under the nodes' path.repo, as this host sees it).",
        },
      );
    }
    const entries = await readdir(location).catch(() => [] as string[]);
    if (entries.includes(`snap-${manifest.repository.snapshotUuid}.dat`)) repository = 'present';
    else if (entries.some((entry) => entry === 'index.latest' || /^index-\d+$/.test(entry))) {
      throw new A4cAdminError(
        'PRECONDITION_FAILED',
        `The repository folder ${location} holds other snapshots and not the one of "${name}": the remote repository cannot be written over it.`,
        { hint: 'Point elasticsearch.repository.location at an empty folder under path.repo (and register nothing there), then restore again.' },
      );
    } else {
      // The repository's root index files go last: until they are there, Elasticsearch sees an empty repository.
      const isRootIndex = (file: RemoteFile) => !file.path.includes('/') && (file.path === 'index.latest' || /^index-\d+$/.test(file.path));
      await mkdir(location, { recursive: true, mode: 0o755 });
      await fetch(
        manifest.repository.files.filter((file) => !isRootIndex(file)),
        location,
        () => 0o644,
      );
      await fetch(manifest.repository.files.filter(isRootIndex), location, () => 0o644);
      await handOver(location);
      repository = 'fetched';
    }
  }
  if (local) return { name, folder, downloadedFiles, downloadedBytes, alreadyLocal: true, ...(repository ? { repository } : {}) };

  const staging = join(config.backup.files_dir, `.pulling-${name}`);
  await mkdir(staging, { recursive: true, mode: 0o700 });
  await fetch(manifest.files, staging, (file) => file.mode);
  const pulled = await readManifest(staging);
  if (pulled.manifestSha256 !== manifest.backup.manifestSha256) {
    throw new A4cAdminError('BACKUP_INVALID', `The manifest fetched for "${name}" is not the one the remote backup names.`, {
      hint: 'The remote backup is damaged: run `a4c-admin verify --remote` and restore another one.',
    });
  }
  await rename(staging, folder);
  return { name, folder, downloadedFiles, downloadedBytes, alreadyLocal: false, ...(repository ? { repository } : {}) };
}

/** True when `path` already holds the file whole (an earlier, interrupted pull fetched it). */
async function holds(path: string, file: RemoteFile): Promise<boolean> {
  const info = await lstat(path).catch(() => undefined);
  if (!info?.isFile() || info.size !== file.size) return false;
  if ((await sha256File(path)) === file.sha256) return true;
  await rm(path, { force: true });
  return false;
}

/**
 * The fetched repository made usable by the nodes, which often run as another user: folders
 * 0755, and, when this runs as root, everything owned like the folder above it (path.repo).
 */
async function handOver(location: string): Promise<void> {
  const owner = await stat(dirname(location));
  const asRoot = process.getuid?.() === 0;
  const visit = async (path: string, isFolder: boolean) => {
    if (isFolder) await chmod(path, 0o755);
    if (asRoot) await lchown(path, owner.uid, owner.gid);
    if (!isFolder) return;
    for (const entry of await readdir(path, { withFileTypes: true })) await visit(join(path, entry.name), entry.isDirectory());
  };
  await visit(location, true);
}
