// The ready-wired API of off-host backups: push a local backup to the object store of
// `remote:`, and list, verify, pull, restore, delete and prune there with nothing local but
// the config.
import {
  deleteRemoteBackups,
  listRemoteBackups,
  type PullResult,
  type PushResult,
  pruneRemoteBackups,
  pullBackup,
  pushBackup,
  type RemoteBackupSummary,
  type RemoteDeleteResult,
  type RemotePruneResult,
  type RemoteVerifyResult,
  type RestoreResult,
  verifyRemoteBackup,
} from '@a4c-admin/core';
import { restore } from './api.js';
import type { BackupNameOptions, CallOptions, PruneOptions, RestoreOptions } from './call-options.js';
import { openRemote } from './open-remote.js';
import { type ConfigSource, resolveConfig } from './resolve-config.js';

/**
 * Copies the local backup `name` to the object store of `remote:` (S3 or compatible). Content the
 * store already holds (last night's push) is not sent again; the remote backup is listed only
 * once everything it names is stored.
 *
 * @returns What the remote backup holds and what was actually sent (`uploadedBytes`).
 * @throws {@link A4cAdminError}: `BACKUP_NOT_FOUND`, `BACKUP_EXISTS`, `REMOTE_AUTH_FAILED`, `REMOTE_BUCKET_MISSING`, `REMOTE_UNREACHABLE`, ...
 * @example
 * ```ts
 * import { push } from 'a4c-admin';
 *
 * const result = await push('/opt/alien4cloud/config/admin-tool-config.yml', { name: 'nightly-1' });
 * console.log(`${result.uploadedBytes} of ${result.bytes} bytes sent to ${result.destination}`);
 * ```
 */
export async function push(config: ConfigSource, options: BackupNameOptions): Promise<PushResult> {
  const resolved = await resolveConfig(config);
  const remote = await openRemote(resolved, { writing: true });
  return pushBackup({ ...options, ...remote, config: resolved });
}

/**
 * Fetches the remote backup `name` into `backup.files_dir` (and, for a snapshot backup, the
 * repository files into `elasticsearch.repository.location`) without restoring it. An
 * interrupted pull resumes: files fetched whole are kept.
 *
 * @example
 * ```ts
 * import { pull } from 'a4c-admin';
 *
 * const result = await pull('/opt/alien4cloud/config/admin-tool-config.yml', { name: 'nightly-1' });
 * console.log(`${result.downloadedFiles} files fetched into ${result.folder}`);
 * ```
 */
export async function pull(config: ConfigSource, options: BackupNameOptions): Promise<PullResult> {
  const resolved = await resolveConfig(config);
  const remote = await openRemote(resolved);
  return pullBackup({ ...options, ...remote, config: resolved });
}

/**
 * Restores a remote backup on this host: fetches it ({@link pull}), then restores it as
 * {@link restore} does. On a bare host, nothing but the config is needed.
 *
 * @example
 * ```ts
 * import { restoreRemote } from 'a4c-admin';
 *
 * const done = await restoreRemote('/opt/alien4cloud/config/admin-tool-config.yml', { name: 'nightly-1', version: '1.2.0' });
 * console.log(`restored in ${done.durationMs} ms`);
 * ```
 */
export async function restoreRemote(config: ConfigSource, options: RestoreOptions): Promise<RestoreResult & { pulled: PullResult }> {
  const resolved = await resolveConfig(config);
  const pulled = await pull(resolved, {
    name: options.name,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { ...(await restore(resolved, options)), pulled };
}

/**
 * The remote backups, newest first; one whose manifest cannot be read or that misses an object
 * is `broken`, with the reason.
 *
 * @example
 * ```ts
 * import { listRemote } from 'a4c-admin';
 *
 * for (const backup of await listRemote('/opt/alien4cloud/config/admin-tool-config.yml')) console.log(backup.name, backup.state);
 * ```
 */
export async function listRemote(config: ConfigSource, options: CallOptions = {}): Promise<RemoteBackupSummary[]> {
  const resolved = await resolveConfig(config);
  return listRemoteBackups({ ...options, ...(await openRemote(resolved)) });
}

/**
 * Reads every object of the remote backup `name` back and checks its SHA-256; throws
 * `CHECKSUM_MISMATCH` or `REMOTE_OBJECT_MISSING` naming every damaged object.
 *
 * @example
 * ```ts
 * import { verifyRemote } from 'a4c-admin';
 *
 * const result = await verifyRemote('/opt/alien4cloud/config/admin-tool-config.yml', { name: 'nightly-1' });
 * console.log(`${result.objects} objects, ${result.bytes} bytes checked`);
 * ```
 */
export async function verifyRemote(config: ConfigSource, options: BackupNameOptions): Promise<RemoteVerifyResult> {
  const resolved = await resolveConfig(config);
  return verifyRemoteBackup({ ...options, ...(await openRemote(resolved)), concurrency: resolved.remote?.concurrency ?? 8 });
}

/**
 * Deletes the remote backup `name`: its manifest first (it stops being listed), then the objects
 * no other remote backup names.
 *
 * @example
 * ```ts
 * import { removeRemote } from 'a4c-admin';
 *
 * const result = await removeRemote('/opt/alien4cloud/config/admin-tool-config.yml', { name: 'nightly-1' });
 * console.log(`${result.removedObjects} objects removed`);
 * ```
 */
export async function removeRemote(config: ConfigSource, options: BackupNameOptions): Promise<RemoteDeleteResult> {
  const resolved = await resolveConfig(config);
  return deleteRemoteBackups({ ...(options.signal ? { signal: options.signal } : {}), ...(await openRemote(resolved)), names: [options.name] });
}

/**
 * Deletes the remote backups the keep rules do not keep (the rules of {@link prune}); broken
 * remote backups are left alone.
 *
 * @example
 * ```ts
 * import { pruneRemote } from 'a4c-admin';
 *
 * const result = await pruneRemote('/opt/alien4cloud/config/admin-tool-config.yml', { keepLast: 7, dryRun: true });
 * console.log('would delete', result.deleted);
 * ```
 */
export async function pruneRemote(config: ConfigSource, options: PruneOptions): Promise<RemotePruneResult> {
  const resolved = await resolveConfig(config);
  const { dryRun, signal, onProgress: _onProgress, ...policy } = options;
  return pruneRemoteBackups({ ...(signal ? { signal } : {}), ...(await openRemote(resolved)), policy, ...(dryRun === undefined ? {} : { dryRun }) });
}
