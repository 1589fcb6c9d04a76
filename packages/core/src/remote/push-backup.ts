// push: copies a complete local backup to the object store. Each file's content goes to the
// blob named by its SHA-256 (and the key that seals it) unless the store already holds it (last night's push did), so an
// unchanged installation sends almost nothing. The remote manifest is written last, with a
// conditional put: until then the backup is not listed; an interrupted push leaves only blobs,
// which the next push reuses.
import { lstat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { createByteBudget } from '../byte-budget.js';
import { throwIfCancelled } from '../cancellation.js';
import type { A4cAdminConfig } from '../config-schema.js';
import { A4cAdminError, isA4cAdminError } from '../errors.js';
import { type Manifest, readManifest } from '../manifest.js';
import { identityCodec, type ObjectCodec, type ObjectStore } from '../object-store.js';
import { backupPaths, sha256File } from '../operations/backup-paths.js';
import { createProgressReporter, type ProgressListener } from '../progress.js';
import { mapConcurrently } from '../task-pool.js';
import { holdTightHeapGrowth } from '../tight-heap-growth.js';
import { walkTree } from '../walk-tree.js';
import { BLOBS_PREFIX, blobKey, blobSha256, packsWell, remoteManifestKey } from './remote-layout.js';
import { REMOTE_MANIFEST_FORMAT_VERSION, type RemoteFile, type RemoteManifestContent, serializeRemoteManifest } from './remote-manifest.js';
import { readRemoteManifest } from './remote-read.js';
import { uploadBlob } from './remote-transfer.js';

const MIB = 1024 * 1024;
/**
 * Bytes the uploads of a push hold at once (file contents, their encoded copies, the parts of
 * multipart uploads), whatever remote.concurrency says: at 16 MiB parts, one large file streams
 * while small ones go beside it. A part size above it runs alone.
 */
const UPLOAD_MEMORY_BYTES = 64 * MIB;
/** Files below this size (most of a data folder) are read with synchronous calls into one buffer shared by the uploads. */
const SCRATCH_BYTES = 256 * 1024 + 1;
/** What encoding adds to a small object at most (the sealed header and a tag per 64 KiB chunk, or gzip's framing). */
const ENCODING_SLACK_BYTES = 64 * 1024;

export interface PushOptions {
  config: A4cAdminConfig;
  store: ObjectStore;
  /** Name of the local backup to push (a folder of backup.files_dir). */
  name: string;
  /** The codec every object goes through; identity when absent. */
  codec?: ObjectCodec;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface PushResult {
  name: string;
  /** Where it went (`s3://bucket/prefix`). */
  destination: string;
  /** Files of the backup (and of the snapshot repository) the remote backup names. */
  files: number;
  /** Bytes of those files. */
  bytes: number;
  /** Objects and bytes actually sent: the content the store did not hold yet. */
  uploadedObjects: number;
  uploadedBytes: number;
  /** True when the store already held this very backup: nothing was sent. */
  alreadyPushed: boolean;
}

/**
 * Pushes the local backup `name` to the object store.
 * @throws A4cAdminError BACKUP_NOT_FOUND / BACKUP_INVALID (local backup missing or broken),
 *   BACKUP_EXISTS (another backup of that name is in the store), REMOTE_* (the store), CANCELLED.
 */
export async function pushBackup(options: PushOptions): Promise<PushResult> {
  const releaseHeapGrowth = holdTightHeapGrowth();
  try {
    return await pushWithinHeap(options);
  } finally {
    releaseHeapGrowth();
  }
}

async function pushWithinHeap(options: PushOptions): Promise<PushResult> {
  const { config, store, name } = options;
  const codec = options.codec ?? identityCodec;
  const progress = createProgressReporter('push', options.onProgress);
  const checkpoint = () =>
    throwIfCancelled(
      options.signal,
      () => 'push was cancelled: no remote backup was listed; the objects sent are reused by the next push.',
      `Run \`a4c-admin push ${name}\` again.`,
    );
  const folder = backupPaths(config, name).folder;
  // What the push needs of the local manifest, taken out of it so that its 20 000 file entries
  // are not held through the uploads (they are most of the push's live heap).
  const { backup: summary, snapshot, known } = localBackupOf(await readManifest(folder));
  await store.check(options.signal ? { signal: options.signal } : {});
  const existing = await readRemoteManifest(store, codec, name, options.signal).catch((error) => {
    if (isA4cAdminError(error) && error.code === 'BACKUP_NOT_FOUND') return undefined;
    throw error;
  });
  const destination = store.description;
  if (existing) {
    if (existing.backup.manifestSha256 === summary.manifestSha256) {
      const bytes = existing.files.reduce((sum, file) => sum + file.size, 0);
      return { name, destination, files: existing.files.length, bytes, uploadedObjects: 0, uploadedBytes: 0, alreadyPushed: true };
    }
    throw new A4cAdminError('BACKUP_EXISTS', `${destination} already holds another backup named "${name}".`, {
      hint: `Push it under another name, or delete the remote one first (\`a4c-admin delete ${name} --remote\`).`,
    });
  }

  progress.emit({ phase: 'scan', kind: 'start' });
  const files = await describeFolder(folder, known, options.signal);
  known.clear();
  const repository = snapshot ? await describeRepository(config, name, options.signal) : undefined;
  progress.emit({ phase: 'scan', kind: 'end', total: files.length + (repository?.files.length ?? 0) });
  checkpoint();

  const stored = new Map<string, number>();
  for await (const object of store.list(BLOBS_PREFIX, options.signal ? { signal: options.signal } : {})) {
    if (blobSha256(object.key)) stored.set(object.key, object.size);
  }
  // One upload per content, whatever the number of files that hold it. Content already stored
  // is named as it is stored (packed or not), whatever this push would have chosen. The entries
  // point at the manifest's own file objects: 20 000 files are not held twice.
  const missing = new Map<string, { file: RemoteFile; root: string }>();
  const local = [...files.map((file) => ({ file, root: folder })), ...(repository?.files.map((file) => ({ file, root: repository.location })) ?? [])];
  let resent = 0;
  for (const entry of local) {
    const { file } = entry;
    const plainKey = blobKey({ sha256: file.sha256, keyId: codec.keyId });
    const packedKey = blobKey({ sha256: file.sha256, packed: 'gzip', keyId: codec.keyId });
    // A stored object was written whole and checked by the store (a put is atomic, with its
    // SHA-256), so its name vouches for its content; its size is checked all the same, which
    // costs nothing (the listing gives it) and catches an object truncated or replaced behind
    // the tool's back, or one written through another codec (unencrypted, before a key was set):
    // such an object is sent again, which repairs the backups that name it. A packed object's
    // size is not known in advance; `verify --remote` reads every object back.
    const storedPlainSize = stored.get(plainKey);
    if (storedPlainSize !== undefined) {
      if (storedPlainSize !== codec.encodedSize(file.size) && !missing.has(plainKey)) {
        missing.set(plainKey, entry);
        resent += 1;
      }
      continue;
    }
    if (stored.has(packedKey) || packsWell(file.path)) file.packed = 'gzip';
    if (stored.has(packedKey)) continue;
    const key = blobKey({ ...file, keyId: codec.keyId });
    if (!missing.has(key)) missing.set(key, entry);
  }
  if (resent > 0) {
    progress.emit({
      phase: 'upload',
      kind: 'warning',
      message: `${resent} object(s) in the store had another size than their content encoded: they are sent again (the remote backups that name them were damaged; \`a4c-admin verify <name> --remote\` checks one).`,
    });
  }
  stored.clear();
  const uploads = [...missing.values()];
  missing.clear();
  const totalBytes = uploads.reduce((sum, { file }) => sum + file.size, 0);
  let uploadedBytes = 0;
  progress.emit({ phase: 'upload', kind: 'start', total: uploads.length, totalBytes });
  let done = 0;
  const remote = config.remote;
  const partBytes = (remote?.part_size_mb ?? 16) * MIB;
  const budget = createByteBudget(Math.max(UPLOAD_MEMORY_BYTES, partBytes));
  const scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
  // The encoded small objects are sent from these, one per upload at a time, reused (see uploadBlob's `body`).
  const bodies: Buffer[] = [];
  const bodyBytes = codec.encodedSize(SCRATCH_BYTES);
  await mapConcurrently(
    uploads,
    remote?.concurrency ?? 8,
    async ({ file, root }) => {
      // A file below one part is read whole and sent in one request; it holds its bytes and their
      // encoded copy. A larger one streams in parts: two parts in flight and the next being filled.
      const whole = file.size < partBytes;
      const release = await budget.reserve(whole ? 2 * file.size + ENCODING_SLACK_BYTES : 3 * partBytes);
      const body = whole ? (bodies.pop() ?? Buffer.allocUnsafeSlow(bodyBytes)) : undefined;
      try {
        await uploadBlob(
          store,
          codec,
          { path: join(root, file.path), sha256: file.sha256, size: file.size, keyId: codec.keyId, ...(file.packed ? { packed: file.packed } : {}) },
          {
            whole,
            scratch,
            ...(body ? { body } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
            onBytes: (bytes) => {
              uploadedBytes += bytes;
            },
          },
        );
        // Only after a request that ended well: a failed one may not have let go of its body.
        if (body) bodies.push(body);
      } finally {
        release();
      }
      done += 1;
      progress.emit({ phase: 'upload', kind: 'progress', done, total: uploads.length, bytes: uploadedBytes, totalBytes });
    },
    { ...(options.signal ? { signal: options.signal } : {}), cancelHint: `Run \`a4c-admin push ${name}\` again: the objects sent are reused.` },
  );
  progress.emit({ phase: 'upload', kind: 'end', done, total: uploads.length, bytes: uploadedBytes, totalBytes });
  checkpoint();

  const content: RemoteManifestContent = {
    formatVersion: REMOTE_MANIFEST_FORMAT_VERSION,
    name,
    pushedAt: new Date().toISOString(),
    codec: codec.id,
    backup: summary,
    files,
    ...(repository && snapshot ? { repository: { snapshot: snapshot.name, snapshotUuid: snapshot.uuid, files: repository.files } } : {}),
  };
  progress.emit({ phase: 'manifest', kind: 'start' });
  await writeRemoteManifest(store, codec, name, serializeRemoteManifest(content));
  progress.emit({ phase: 'manifest', kind: 'end' });
  return {
    name,
    destination,
    files: local.length,
    bytes: local.reduce((sum, { file }) => sum + file.size, 0),
    uploadedObjects: uploads.length,
    uploadedBytes,
    alreadyPushed: false,
  };
}

/** The commit point: the manifest goes last, and only if no other push of that name got there first. */
async function writeRemoteManifest(store: ObjectStore, codec: ObjectCodec, name: string, bytes: Buffer): Promise<void> {
  try {
    await store.put(remoteManifestKey(name), codec.encodeBytes(bytes, remoteManifestKey(name)), { ifAbsent: true });
  } catch (error) {
    if (isA4cAdminError(error) && error.code === 'PRECONDITION_FAILED') {
      throw new A4cAdminError('BACKUP_EXISTS', `Another push wrote a remote backup named "${name}" while this one ran.`, {
        hint: `Check it with \`a4c-admin verify ${name} --remote\`; push under another name if it is not this backup.`,
        cause: error,
      });
    }
    throw error;
  }
}

/** What a push takes from the local manifest: the remote manifest's summary, the snapshot, and the SHA-256 recorded per path. */
function localBackupOf(manifest: Manifest): {
  backup: RemoteManifestContent['backup'];
  snapshot: { name: string; uuid: string } | undefined;
  known: Map<string, string>;
} {
  return {
    backup: {
      ...(manifest.backupId ? { backupId: manifest.backupId } : {}),
      ...(manifest.a4cDataVersion ? { a4cDataVersion: manifest.a4cDataVersion } : {}),
      format: manifest.snapshot ? 'snapshot' : 'export',
      startedAt: manifest.startedAt,
      endedAt: manifest.endedAt,
      manifestSha256: manifest.manifestSha256,
      documents: manifest.indices.reduce((sum, index) => sum + index.docCount, 0),
    },
    snapshot: manifest.snapshot ? { name: manifest.snapshot.name, uuid: manifest.snapshot.uuid } : undefined,
    known: knownHashes(manifest),
  };
}

/** The SHA-256 the local manifest already records for a path of the backup folder. */
function knownHashes(manifest: Manifest): Map<string, string> {
  const known = new Map<string, string>();
  for (const file of manifest.files) known.set(`files/${file.path}`, file.sha256);
  for (const file of manifest.configFiles) known.set(file.stored, file.sha256);
  if (manifest.export) {
    for (const chunk of manifest.export.chunks) known.set(`${manifest.export.folder}/${chunk.file}`, chunk.sha256);
  }
  return known;
}

/** Every regular file of `root` with size, mode and SHA-256 (recorded ones are not read twice: the upload checks them). */
async function describeFolder(root: string, known: Map<string, string>, signal?: AbortSignal): Promise<RemoteFile[]> {
  const files: RemoteFile[] = [];
  for await (const entry of walkTree(root)) {
    if (entry.kind !== 'file') continue;
    const info = await lstat(entry.absolute);
    files.push({ path: entry.path, size: info.size, mode: info.mode & 0o7777, sha256: known.get(entry.path) ?? '' });
  }
  const unknown = files.filter((file) => file.sha256 === '');
  await mapConcurrently(
    unknown,
    4,
    async (file) => {
      file.sha256 = await sha256File(join(root, file.path));
    },
    signal ? { signal } : {},
  );
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** The fs repository folder of a snapshot backup: what a restore on a bare host needs besides the backup folder. */
async function describeRepository(config: A4cAdminConfig, name: string, signal?: AbortSignal) {
  const location = config.elasticsearch.repository.location;
  if (!isAbsolute(location)) {
    throw new A4cAdminError(
      'PRECONDITION_FAILED',
      `The snapshot of "${name}" lives in the repository folder "${location}", relative to the nodes' path.repo: this host cannot read it to push it.`,
      {
        hint: 'Set elasticsearch.repository.location to the absolute folder (as this host sees it), or push a backup taken with --format export.',
      },
    );
  }
  const files = await describeFolder(location, new Map(), signal).catch((error: NodeJS.ErrnoException) => {
    if (isA4cAdminError(error)) throw error;
    throw new A4cAdminError('FILESYSTEM', `Could not read the snapshot repository folder ${location}: ${error.message}`, {
      hint: 'Run the push on a host that mounts the repository folder at elasticsearch.repository.location, with read access to it.',
      cause: error,
    });
  });
  return { files, location };
}
