// list, verify, delete and prune against the object store, with nothing local but the config.
// A remote backup exists once its manifest does; delete removes the manifest first (the backup
// stops being listed) and then the objects no other remote backup names.
import { throwIfCancelled } from '../cancellation.js';
import { A4cAdminError, isA4cAdminError } from '../errors.js';
import { identityCodec, type ObjectCodec, type ObjectStore } from '../object-store.js';
import { decidePrune, type PrunePolicy, policyKeepsAnything } from '../operations/prune-policy.js';
import { createProgressReporter, type ProgressListener } from '../progress.js';
import { mapConcurrently } from '../task-pool.js';
import { BLOBS_PREFIX, blobKey, blobKeyId, blobSha256, remoteManifestKey } from './remote-layout.js';
import { codecKeyId, remoteFilesOf } from './remote-manifest.js';
import { readRemoteManifest, remoteBackupNames } from './remote-read.js';
import { downloadBlob } from './remote-transfer.js';

/** What every remote operation takes: the store, and the codec its objects went through. */
export interface RemoteAccess {
  store: ObjectStore;
  /** Identity when absent. */
  codec?: ObjectCodec;
  signal?: AbortSignal;
}

export interface RemoteBackupSummary {
  name: string;
  /** `complete`: the manifest reads and checks, and every object it names is in the store; `broken` otherwise. */
  state: 'complete' | 'broken';
  problem?: string;
  version?: string;
  format?: 'snapshot' | 'export';
  startedAt?: string;
  pushedAt?: string;
  files?: number;
  bytes?: number;
  documents?: number;
  /** The id of the key the backup was encrypted with (also of an unreadable backup sealed with another key); absent when it is not encrypted. */
  keyId?: string;
}

/** The keys of the blobs in the store. */
async function storedBlobs(store: ObjectStore, signal?: AbortSignal): Promise<Set<string>> {
  const blobs = new Set<string>();
  for await (const object of store.list(BLOBS_PREFIX, signal ? { signal } : {})) {
    if (blobSha256(object.key)) blobs.add(object.key);
  }
  return blobs;
}

/** The remote backups, newest first; one that cannot be read or misses an object is `broken`, with the reason. */
export async function listRemoteBackups(options: RemoteAccess): Promise<RemoteBackupSummary[]> {
  const { store, signal } = options;
  const codec = options.codec ?? identityCodec;
  await store.check(signal ? { signal } : {});
  const names = await remoteBackupNames(store, signal);
  const blobs = await storedBlobs(store, signal);
  const summaries: RemoteBackupSummary[] = [];
  for (const name of names) {
    try {
      const manifest = await readRemoteManifest(store, codec, name, signal);
      const files = remoteFilesOf(manifest);
      const missing = files.filter((file) => !blobs.has(blobKey(file)));
      summaries.push({
        name,
        state: missing.length === 0 ? 'complete' : 'broken',
        ...(missing.length === 0 ? {} : { problem: `${missing.length} object(s) missing from the store, e.g. ${missing[0]!.path}` }),
        ...(manifest.backup.a4cDataVersion ? { version: manifest.backup.a4cDataVersion } : {}),
        format: manifest.backup.format,
        startedAt: manifest.backup.startedAt,
        pushedAt: manifest.pushedAt,
        files: files.length,
        bytes: files.reduce((sum, file) => sum + file.size, 0),
        documents: manifest.backup.documents,
        ...(codecKeyId(manifest.codec) ? { keyId: codecKeyId(manifest.codec) } : {}),
      });
    } catch (error) {
      if (!isA4cAdminError(error) || error.category === 'cluster') throw error;
      const keyId = sealedWithOtherKey(error);
      summaries.push({ name, state: 'broken', problem: error.message, ...(keyId ? { keyId } : {}) });
    }
  }
  return summaries.sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? '') || a.name.localeCompare(b.name));
}

export interface RemoteVerifyResult {
  name: string;
  objects: number;
  bytes: number;
}

/**
 * Reads every object of the remote backup `name` back and checks the SHA-256 of its content.
 * @throws A4cAdminError CHECKSUM_MISMATCH / REMOTE_OBJECT_MISSING naming every bad object, BACKUP_NOT_FOUND, BACKUP_INVALID.
 */
export async function verifyRemoteBackup(
  options: RemoteAccess & { name: string; concurrency?: number; onProgress?: ProgressListener },
): Promise<RemoteVerifyResult> {
  const { store, name, signal } = options;
  const codec = options.codec ?? identityCodec;
  const progress = createProgressReporter('verify', options.onProgress);
  await store.check(signal ? { signal } : {});
  const manifest = await readRemoteManifest(store, codec, name, signal);
  const unique = [...new Map(remoteFilesOf(manifest).map((file) => [blobKey(file), file])).values()];
  const totalBytes = unique.reduce((sum, file) => sum + file.size, 0);
  const problems: Array<{ path: string; code: string; message: string }> = [];
  let bytes = 0;
  let done = 0;
  progress.emit({ phase: 'objects', kind: 'start', total: unique.length, totalBytes });
  await mapConcurrently(
    unique,
    options.concurrency ?? 8,
    async (file) => {
      try {
        await downloadBlob(store, codec, file, undefined, signal ? { signal } : {});
      } catch (error) {
        // An object sealed with another key than its manifest (a push of a release before layout 3,
        // made after a key rotation, reused the old key's objects) is damage too: it cannot be restored.
        if (!isA4cAdminError(error) || !['CHECKSUM_MISMATCH', 'DECRYPTION_FAILED', 'ENCRYPTION_KEY_WRONG', 'REMOTE_OBJECT_MISSING'].includes(error.code))
          throw error;
        problems.push({ path: file.path, code: error.code, message: error.message });
      }
      bytes += file.size;
      done += 1;
      progress.emit({ phase: 'objects', kind: 'progress', done, total: unique.length, bytes, totalBytes });
    },
    signal ? { signal } : {},
  );
  if (problems.length > 0) {
    const altered = problems.some((problem) => problem.code !== 'REMOTE_OBJECT_MISSING');
    throw new A4cAdminError(
      altered ? 'CHECKSUM_MISMATCH' : 'REMOTE_OBJECT_MISSING',
      `The remote backup "${name}" in ${store.description} is damaged: ${problems.length} object(s) ${altered ? 'altered or missing' : 'missing'}: ${problems
        .slice(0, 5)
        .map((problem) => `${problem.path} (${problemWord[problem.code] ?? 'altered'})`)
        .join(', ')}${problems.length > 5 ? ', ...' : ''}.`,
      {
        hint: 'Do not restore from it: restore another remote backup, and push a good local backup again (a new push stores the content anew).',
        details: { problems: problems.map(({ path, code }) => ({ path, code })) },
      },
    );
  }
  return { name, objects: unique.length, bytes };
}

const problemWord: Record<string, string> = { REMOTE_OBJECT_MISSING: 'missing', ENCRYPTION_KEY_WRONG: 'sealed with another key' };

export interface RemoteDeleteResult {
  deleted: string[];
  /** Objects removed because no remaining remote backup names them. */
  removedObjects: number;
}

/**
 * Deletes the remote backups `names`: their manifests first (they stop being listed), then every
 * object no remaining backup names. A remaining backup whose manifest cannot be read might name
 * any object, so none is removed, with one exception: a manifest sealed with another key (its
 * header says which) can only name objects of that key or, pushed by an older release, objects
 * without a key id; the objects named with the configured key's id are still removed.
 */
export async function deleteRemoteBackups(options: RemoteAccess & { names: readonly string[] }): Promise<RemoteDeleteResult> {
  const { store, signal } = options;
  const codec = options.codec ?? identityCodec;
  await store.check(signal ? { signal } : {});
  const all = await remoteBackupNames(store, signal);
  const unknown = options.names.filter((name) => !all.includes(name));
  if (unknown.length > 0) {
    throw new A4cAdminError('BACKUP_NOT_FOUND', `${store.description} holds no backup named ${unknown.map((name) => `"${name}"`).join(', ')}.`, {
      hint: '`a4c-admin list --remote` shows the remote backups.',
    });
  }
  const doomed = new Set<string>();
  for (const name of options.names) {
    const manifest = await readRemoteManifest(store, codec, name, signal).catch(() => undefined);
    for (const file of manifest ? remoteFilesOf(manifest) : []) doomed.add(blobKey(file));
  }
  // What the remaining backups that cannot be read may still name: every object, or (sealed with
  // another key) the objects without a key id and those of their own key.
  let unreadableMayNameAnything = false;
  const unreadableKeyIds = new Set<string>();
  for (const name of all.filter((name) => !options.names.includes(name))) {
    try {
      const manifest = await readRemoteManifest(store, codec, name, signal);
      for (const file of remoteFilesOf(manifest)) doomed.delete(blobKey(file));
    } catch (error) {
      if (isA4cAdminError(error) && error.category === 'cluster') throw error;
      const keyId = isA4cAdminError(error) ? sealedWithOtherKey(error) : undefined;
      if (keyId === undefined) unreadableMayNameAnything = true;
      else unreadableKeyIds.add(keyId);
    }
  }
  throwIfCancelled(signal, () => 'delete was cancelled before it removed anything.', 'Run it again when ready.');
  await store.remove(options.names.map(remoteManifestKey));
  const objects = unreadableMayNameAnything
    ? []
    : [...doomed].filter((key) => {
        const keyId = blobKeyId(key);
        return unreadableKeyIds.size === 0 || (keyId !== undefined && !unreadableKeyIds.has(keyId));
      });
  await store.remove(objects);
  return { deleted: [...options.names], removedObjects: objects.length };
}

/** The key id that sealed a manifest the configured key could not open (ENCRYPTION_KEY_WRONG names it), or undefined for another failure. */
function sealedWithOtherKey(error: A4cAdminError): string | undefined {
  if (error.code !== 'ENCRYPTION_KEY_WRONG') return undefined;
  const keyId = (error.details as { expectedKeyId?: unknown } | undefined)?.expectedKeyId;
  return typeof keyId === 'string' && /^[0-9a-f]{32}$/.test(keyId) ? keyId : undefined;
}

export interface RemotePruneResult {
  dryRun: boolean;
  kept: Array<{ name: string; reasons: string[] }>;
  deleted: string[];
  /** Broken remote backups, left alone for an operator to look at. */
  skipped: string[];
  removedObjects: number;
}

/** Deletes the remote backups the keep rules do not keep (the rules of the local prune). Broken ones are left alone. */
export async function pruneRemoteBackups(options: RemoteAccess & { policy: PrunePolicy; dryRun?: boolean }): Promise<RemotePruneResult> {
  if (!policyKeepsAnything(options.policy)) {
    throw new A4cAdminError('USAGE', 'prune needs at least one keep rule of 1 or more.', {
      hint: 'For example `a4c-admin prune --remote --keep-last 7 --keep-weekly 4`.',
    });
  }
  const backups = await listRemoteBackups(options);
  const complete = backups.filter(
    (backup): backup is RemoteBackupSummary & { startedAt: string } => backup.state === 'complete' && backup.startedAt !== undefined,
  );
  const decision = decidePrune(complete, options.policy);
  const result: RemotePruneResult = {
    dryRun: options.dryRun === true,
    kept: decision.keep.map((backup) => ({ name: backup.name, reasons: backup.reasons })),
    deleted: decision.remove.map((backup) => backup.name),
    skipped: backups.filter((backup) => backup.state === 'broken').map((backup) => backup.name),
    removedObjects: 0,
  };
  if (options.dryRun || result.deleted.length === 0) return result;
  const removed = await deleteRemoteBackups({ ...options, names: result.deleted });
  return { ...result, removedObjects: removed.removedObjects };
}
