// Authentication of a backup's manifest, so that a listing altered in the store (a file
// removed from it, a checksum changed to match a changed object, another backup's
// manifest put in its place) is detected before it is trusted. HMAC-SHA256 under the
// manifest sub-key, over the backup's name and the manifest's exact bytes.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { A4cAdminError } from '../errors.js';
import { type EncryptionKey, subKeysOf } from './encryption-key.js';

const TAG_PREFIX = 'hmac-sha256:';

function computeTag(key: EncryptionKey, backupName: string, manifestBytes: Buffer): Buffer {
  return createHmac('sha256', subKeysOf(key).manifestKey)
    .update('a4c-admin manifest v1\0')
    .update(backupName, 'utf8')
    .update('\0')
    .update(manifestBytes)
    .digest();
}

/** The tag to store next to (or inside the sealed envelope of) the manifest: `hmac-sha256:<64 hex>`. */
export function manifestTag(key: EncryptionKey, backupName: string, manifestBytes: Buffer): string {
  return `${TAG_PREFIX}${computeTag(key, backupName, manifestBytes).toString('hex')}`;
}

/** Throws MANIFEST_NOT_AUTHENTIC unless `tag` is this key's tag of these bytes under this name. */
export function assertManifestAuthentic(key: EncryptionKey, backupName: string, manifestBytes: Buffer, tag: string | undefined): void {
  const expected = computeTag(key, backupName, manifestBytes);
  const given = typeof tag === 'string' && tag.startsWith(TAG_PREFIX) ? Buffer.from(tag.slice(TAG_PREFIX.length), 'hex') : Buffer.alloc(0);
  if (given.length === expected.length && timingSafeEqual(given, expected)) return;
  throw new A4cAdminError(
    'MANIFEST_NOT_AUTHENTIC',
    tag === undefined
      ? `The manifest of backup "${backupName}" carries no authentication tag: it was not written by a4c-admin with encryption on, or its tag was removed.`
      : `The manifest of backup "${backupName}" does not match its authentication tag: it was altered, or it belongs to another backup; nothing was read or changed.`,
    {
      hint: 'Do not restore from this listing. If the key is right (the key ids match), someone or something changed the store: use another backup and check who can write there.',
      details: { backup: backupName, keyId: key.id },
    },
  );
}
