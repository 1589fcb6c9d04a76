// Where a remote backup's objects live under the store's prefix. Content is stored once by
// its SHA-256 (`blobs/ab/abcd...`): a file that did not change since last night is already
// there and is not sent again. A backup is one object, `backups/<name>/manifest.json`,
// written last with a conditional put: a backup is listed only once all it names is stored.
// Metadata written anew by every backup (its JSON manifests, the snapshot repository's root
// index) is stored gzipped, as `blobs/ab/abcd....gz`: it is most of what a second push of an
// unchanged installation sends, and it shrinks several times.

/** Prefix of the content-addressed objects. */
export const BLOBS_PREFIX = 'blobs/';
/** Prefix of the remote backups' manifests. */
export const BACKUPS_PREFIX = 'backups/';
/** File name of a remote backup's manifest under `backups/<name>/`. */
export const REMOTE_MANIFEST_FILE = 'manifest.json';

/** How a blob's content is stored: as it is, or gzipped (`packed`). */
export interface BlobName {
  sha256: string;
  packed?: 'gzip' | undefined;
}

/** Key of the object that holds the content whose SHA-256 is `sha256`, gzipped when `packed`. */
export function blobKey(blob: BlobName): string {
  return `${BLOBS_PREFIX}${blob.sha256.slice(0, 2)}/${blob.sha256}${blob.packed === 'gzip' ? '.gz' : ''}`;
}

/** The SHA-256 a blob key names, or undefined for a key that is not a blob's. */
export function blobSha256(key: string): string | undefined {
  const match = /^blobs\/[0-9a-f]{2}\/([0-9a-f]{64})(\.gz)?$/.exec(key);
  return match?.[1];
}

/** Whether a file of a backup (or of its snapshot repository) is stored gzipped: compressible metadata that every backup writes anew. */
export function packsWell(path: string): boolean {
  return path.endsWith('.json') || /(^|\/)index-\d+$/.test(path);
}

/** Key of a remote backup's manifest. */
export function remoteManifestKey(name: string): string {
  return `${BACKUPS_PREFIX}${name}/${REMOTE_MANIFEST_FILE}`;
}

/** The backup name of a manifest key, or undefined for another key. */
export function backupNameOfKey(key: string): string | undefined {
  const match = /^backups\/([^/]+)\/manifest\.json$/.exec(key);
  return match?.[1];
}
