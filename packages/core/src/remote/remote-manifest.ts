// The manifest of a remote backup: every file of the local backup folder (and, for a snapshot
// backup, of the snapshot repository) with the SHA-256 of its content, which is also the key of
// the object that holds it. It carries its own hash, like the local manifest, so an edited
// listing is caught; the codec (when it encrypts) authenticates it on top.
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { canonicalHash } from '../canonical-json.js';
import { A4cAdminError } from '../errors.js';
import type { BlobName } from './remote-layout.js';

/**
 * Layout version of a remote manifest; a reader refuses a higher one. 2: files may be stored
 * gzipped (`packed`), the manifest itself is gzipped. 3: the objects of an encrypted backup are
 * named with the id of the key that sealed them (remote-layout.ts).
 */
export const REMOTE_MANIFEST_FORMAT_VERSION = 3;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const relativePath = z
  .string()
  .min(1)
  .refine((path) => !path.startsWith('/') && !path.split('/').some((part) => part === '..' || part === '' || part === '.'), {
    message: 'must be a relative path without "..", "." or empty parts',
  });

const remoteFileSchema = z.strictObject({
  path: relativePath,
  size: z.number().int().min(0),
  mode: z.number().int().min(0).max(0o7777),
  sha256,
  /** The object holds the content gzipped (key `<sha256>.gz`); size and sha256 are the plain content's. */
  packed: z.literal('gzip').optional(),
});

export const remoteManifestSchema = z.strictObject({
  formatVersion: z.union([z.literal(1), z.literal(2), z.literal(REMOTE_MANIFEST_FORMAT_VERSION)]),
  name: z.string().min(1),
  /** When the push finished. */
  pushedAt: z.iso.datetime({ offset: true }),
  /** The codec every object went through (identity, or the cipher and key id). */
  codec: z.string().min(1),
  /** What `list --remote` and `prune --remote` need without opening anything else (copied from the local manifest). */
  backup: z.strictObject({
    backupId: z.string().optional(),
    a4cDataVersion: z.string().optional(),
    format: z.enum(['snapshot', 'export']),
    startedAt: z.iso.datetime({ offset: true }),
    endedAt: z.iso.datetime({ offset: true }),
    /** The local manifest's own hash: the pulled folder must carry exactly that manifest. */
    manifestSha256: sha256,
    documents: z.number().int().min(0),
  }),
  /** Every file of the backup folder, the local manifest.json included. */
  files: z.array(remoteFileSchema),
  /** Snapshot backups: every file of the fs repository folder when the backup was pushed. */
  repository: z.strictObject({ snapshot: z.string().min(1), snapshotUuid: z.string().min(1), files: z.array(remoteFileSchema) }).optional(),
  remoteManifestSha256: sha256,
});

export type RemoteManifest = z.infer<typeof remoteManifestSchema>;
export type RemoteManifestContent = Omit<RemoteManifest, 'remoteManifestSha256'>;
export type RemoteFile = RemoteManifest['files'][number];

const ENCRYPTED_CODEC = /^aes-256-gcm:([0-9a-f]{32})$/;

/** The key id a codec id names (`aes-256-gcm:<key id>`), or undefined for `identity`. */
export function codecKeyId(codec: string): string | undefined {
  return ENCRYPTED_CODEC.exec(codec)?.[1];
}

/** The key id in the names of the objects the manifest names: its codec's from layout 3 on, none before. */
export function blobKeyIdOf(manifest: Pick<RemoteManifest, 'formatVersion' | 'codec'>): string | undefined {
  return manifest.formatVersion >= 3 ? codecKeyId(manifest.codec) : undefined;
}

/** Every file a remote backup names (its folder's, and its snapshot repository's), each with the key id of its object's name. */
export function remoteFilesOf(manifest: RemoteManifest): Array<RemoteFile & BlobName> {
  const keyId = blobKeyIdOf(manifest);
  return [...manifest.files, ...(manifest.repository?.files ?? [])].map((file) => ({ ...file, keyId }));
}

/** The manifest with its own hash, gzipped, as the bytes that go to the store (it is new with every push: a few KB instead of tens). */
export function serializeRemoteManifest(content: RemoteManifestContent): Buffer {
  const manifest: RemoteManifest = { ...content, remoteManifestSha256: canonicalHash(content) };
  return gzipSync(`${JSON.stringify(manifest)}\n`, { level: 9 });
}

/** The manifest's text from the bytes read back: gzipped (layout 2) or plain JSON (layout 1, which never starts with gzip's magic bytes). */
export function remoteManifestText(bytes: Buffer, where: string): string {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (error) {
    throw invalid(`${where} is not a readable remote manifest: ${(error as Error).message}`);
  }
}

/**
 * Parses and checks a remote manifest read from the store.
 * @throws A4cAdminError BACKUP_INVALID (not JSON, not the schema, hash wrong), VERSION_MISMATCH (newer layout).
 */
export function parseRemoteManifest(text: string, where: string): RemoteManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalid(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > REMOTE_MANIFEST_FORMAT_VERSION) {
    throw new A4cAdminError('VERSION_MISMATCH', `${where} has layout ${version}, newer than this tool reads (${REMOTE_MANIFEST_FORMAT_VERSION}).`, {
      hint: 'Use a newer a4c-admin to read this remote backup.',
    });
  }
  const parsed = remoteManifestSchema.safeParse(raw);
  if (!parsed.success) throw invalid(`${where} does not match the remote manifest schema: ${parsed.error.issues[0]?.message ?? ''}`);
  const { remoteManifestSha256, ...content } = parsed.data;
  if (canonicalHash(content) !== remoteManifestSha256) throw invalid(`${where} was changed after it was written: its hash does not match its content.`);
  return parsed.data;
}

function invalid(message: string): A4cAdminError {
  return new A4cAdminError('BACKUP_INVALID', message, {
    hint: 'This remote backup cannot be trusted: delete it (`a4c-admin delete <name> --remote`) and push a good local backup again.',
  });
}
