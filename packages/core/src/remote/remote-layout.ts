// Where a remote backup's objects live under the store's prefix. Content is stored once by
// its SHA-256 (`blobs/ab/abcd...`): a file that did not change since last night is already
// there and is not sent again. A backup is one object, `backups/<name>/manifest.json`,
// written last with a conditional put: a backup is listed only once all it names is stored.

/** Prefix of the content-addressed objects. */
export const BLOBS_PREFIX = 'blobs/';
/** Prefix of the remote backups' manifests. */
export const BACKUPS_PREFIX = 'backups/';
/** File name of a remote backup's manifest under `backups/<name>/`. */
export const REMOTE_MANIFEST_FILE = 'manifest.json';

/** Key of the object that holds the content whose SHA-256 is `sha256`. */
export function blobKey(sha256: string): string {
  return `${BLOBS_PREFIX}${sha256.slice(0, 2)}/${sha256}`;
}

/** The SHA-256 a blob key names, or undefined for a key that is not a blob's. */
export function blobSha256(key: string): string | undefined {
  const match = /^blobs\/[0-9a-f]{2}\/([0-9a-f]{64})$/.exec(key);
  return match?.[1];
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
