// Where a remote backup's objects live under the store's prefix. Content is stored once by
// its SHA-256 (`blobs/ab/abcd...`): a file that did not change since last night is already
// there and is not sent again. A backup is one object, `backups/<name>/manifest.json`,
// written last with a conditional put: a backup is listed only once all it names is stored.
// Metadata written anew by every backup (its JSON manifests, the snapshot repository's root
// index) is stored gzipped, as `blobs/ab/abcd....gz`: it is most of what a second push of an
// unchanged installation sends, and it shrinks several times.
// An encrypted blob also carries the id of the key that sealed it (`blobs/ab/abcd....k-<key
// id>.gz`, layout 3): the same content sealed under another key is another object. Without it,
// a push after a key rotation took the old key's objects for its own (same content, same size)
// and named them in a manifest that the new key could not restore.

/** Prefix of the content-addressed objects. */
export const BLOBS_PREFIX = 'blobs/';
/** Prefix of the remote backups' manifests. */
export const BACKUPS_PREFIX = 'backups/';
/** File name of a remote backup's manifest under `backups/<name>/`. */
export const REMOTE_MANIFEST_FILE = 'manifest.json';

/** How a blob's content is stored: as it is or gzipped (`packed`), in plain or sealed with the key `keyId`. */
export interface BlobName {
  sha256: string;
  packed?: 'gzip' | undefined;
  /**
   * The id of the key that sealed the object, or undefined for an object stored as it is (and for
   * every object of a layout 1 or 2 manifest, which did not name keys). Required, so that no
   * caller can forget which key's objects it means.
   */
  keyId: string | undefined;
}

const BLOB_KEY = /^blobs\/[0-9a-f]{2}\/([0-9a-f]{64})(?:\.k-([0-9a-f]{32}))?(\.gz)?$/;

/** Key of the object that holds the content whose SHA-256 is `sha256`, sealed with `keyId` when set, gzipped when `packed`. */
export function blobKey(blob: BlobName): string {
  const sealedWith = blob.keyId === undefined ? '' : `.k-${blob.keyId}`;
  return `${BLOBS_PREFIX}${blob.sha256.slice(0, 2)}/${blob.sha256}${sealedWith}${blob.packed === 'gzip' ? '.gz' : ''}`;
}

/** The SHA-256 a blob key names, or undefined for a key that is not a blob's. */
export function blobSha256(key: string): string | undefined {
  return BLOB_KEY.exec(key)?.[1];
}

/** The key id a blob key names: undefined for an object stored as it is or named by layout 1 or 2. */
export function blobKeyId(key: string): string | undefined {
  return BLOB_KEY.exec(key)?.[2];
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
