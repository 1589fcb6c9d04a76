// The manifest.json of a backup: what it holds and the hashes to check it. It is written
// last and atomically, so a folder without a valid manifest is never taken for a backup.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-write.js';
import { canonicalHash } from './canonical-json.js';
import { dataVersionMarkerSchema } from './data-version-marker.js';
import { A4cAdminError } from './errors.js';
import { fileEntrySchema, folderEntrySchema } from './file-entry.js';
import { readRegularTextFile } from './read-regular-file.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';

/** File name of the manifest inside a backup folder. */
export const MANIFEST_FILE = 'manifest.json';
/** File name of the export manifest inside a backup's export folder (its index list, definitions and chunk hashes). */
export const EXPORT_MANIFEST_FILE = 'export-manifest.json';
/** Layout version of manifest.json; a reader refuses a higher one. */
export const MANIFEST_FORMAT_VERSION = 1;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const isoDate = z.iso.datetime({ offset: true });

const manifestBody = z.strictObject({
  formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
  tool: z.strictObject({ name: z.string().min(1), version: z.string().min(1) }),
  /** Name of the backup (its folder name). */
  name: z.string().min(1),
  /** Random id of the backup run, also in its snapshot's metadata and its folder's marker: proves which snapshot is this backup's. Absent in backups made before ids existed. */
  backupId: z.string().min(1).optional(),
  /** A4C data version of the indices (the data-version marker), when known. */
  a4cDataVersion: z.string().min(1).optional(),
  /** The data-version marker as the cluster held it, written back on restore so its history survives. */
  dataVersionMarker: dataVersionMarkerSchema(true).optional(),
  elasticsearch: z.strictObject({ version: z.string().min(1), clusterName: z.string().min(1), clusterUuid: z.string().min(1) }),
  snapshot: z
    .strictObject({
      repository: z.string().min(1),
      name: z.string().min(1),
      uuid: z.string().min(1),
      state: z.enum(['IN_PROGRESS', 'SUCCESS', 'FAILED', 'PARTIAL', 'INCOMPATIBLE']),
    })
    .optional(),
  export: z
    .strictObject({
      /** Folder of the export, relative to the backup folder. */
      folder: z.string().min(1),
      /**
       * SHA-256 of the export folder's export-manifest.json, which a restore reads (index list,
       * mappings, settings, counts, chunk hashes): with it, every byte a restore reads is covered
       * by this manifest's hash chain. Absent only in export backups written before it was
       * recorded; such a backup fails verification rather than be trusted.
       */
      manifestSha256: sha256.optional(),
      chunks: z.array(
        z.strictObject({
          index: z.string().min(1),
          file: z.string().min(1),
          documents: z.number().int().min(0),
          bytes: z.number().int().min(0),
          sha256,
        }),
      ),
    })
    .optional(),
  indices: z.array(z.strictObject({ name: z.string().min(1), docCount: z.number().int().min(0), mappingHash: sha256 })),
  /** False when A4C wrote to its indices while the backup ran: a restore then reports counts without failing on them. */
  countsExact: z.boolean().optional(),
  files: z.array(fileEntrySchema),
  /** Every folder of the copied parts (empty ones too) with its mode; absent in manifests written before it existed. */
  folders: z.array(folderEntrySchema).optional(),
  configFiles: z.array(
    z.strictObject({
      /** Where the file was (absolute). */
      path: z.string().startsWith('/'),
      /** Where its copy is, relative to the backup folder. */
      stored: z.string().min(1),
      size: z.number().int().min(0),
      mode: z.number().int().min(0).max(0o7777),
      sha256,
    }),
  ),
  /** The options the backup ran with (never secrets). */
  options: z.record(z.string(), z.unknown()),
  startedAt: isoDate,
  endedAt: isoDate,
});

export const manifestSchema = manifestBody
  .extend({ manifestSha256: sha256 })
  .refine((manifest) => (manifest.snapshot === undefined) !== (manifest.export === undefined), {
    message: 'a backup holds either a snapshot or an export of the indices (exactly one)',
  });

/** A backup's manifest.json, hash included. */
export type Manifest = z.infer<typeof manifestSchema>;
/** What writeManifest takes: the manifest without its own hash. */
export type ManifestContent = Omit<Manifest, 'manifestSha256'>;

/** SHA-256 of the canonical JSON of everything in the manifest but `manifestSha256`. */
export function computeManifestSha256(content: ManifestContent | Manifest): string {
  const { manifestSha256: _ignored, ...rest } = content as Manifest;
  return canonicalHash(rest);
}

/**
 * Writes `folder/manifest.json` atomically: temp file in the same folder, fsync, rename,
 * fsync of the folder; mode 0600. Call it LAST, once everything it lists is on disk.
 * @returns the manifest as written, with its hash.
 * @throws A4cAdminError INTERNAL when the content does not fit the schema, FILESYSTEM on I/O errors.
 */
export async function writeManifest(folder: string, content: ManifestContent): Promise<Manifest> {
  const manifest = { ...content, manifestSha256: computeManifestSha256(content) };
  const checked = manifestSchema.safeParse(manifest);
  if (!checked.success) {
    throw new A4cAdminError('INTERNAL', `Refusing to write an invalid manifest: ${describeIssues(checked.error)}`, {
      hint: 'This is a bug in the caller of writeManifest; please report it with the message above.',
    });
  }
  const target = join(folder, MANIFEST_FILE);
  try {
    await writeFileAtomic(target, `${JSON.stringify(manifest, null, 2)}\n`, 0o600);
  } catch (error) {
    throw new A4cAdminError('FILESYSTEM', `Could not write ${target}: ${(error as Error).message}`, {
      hint: 'Check that the backup folder exists, is writable and that its disk is not full.',
      cause: error,
    });
  }
  return manifest;
}

/**
 * Reads and checks `folder/manifest.json`: schema, then the manifest's own hash.
 * @throws A4cAdminError BACKUP_NOT_FOUND (no folder), BACKUP_INVALID (missing, broken or
 *   edited manifest), VERSION_MISMATCH (written by a newer major version of the tool).
 */
export async function readManifest(folder: string): Promise<Manifest> {
  const file = join(folder, MANIFEST_FILE);
  let text: string;
  try {
    // A fifo in place of the manifest must not hang list, verify, prune or delete (the latter holding the lock).
    text = await readRegularTextFile(file, {
      what: 'The manifest',
      code: 'BACKUP_INVALID',
      hint: "A backup's manifest.json is always a regular file: this folder is not a backup a4c-admin wrote, or it was tampered with; move it out of backup.files_dir.",
    });
  } catch (error) {
    if (error instanceof A4cAdminError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const folderExists = await stat(folder).then(
      (info) => info.isDirectory(),
      () => false,
    );
    if (!folderExists) {
      throw new A4cAdminError('BACKUP_NOT_FOUND', `There is no backup folder ${folder}.`, {
        hint: 'Check the backup name; `a4c-admin list` shows the backups that exist.',
        cause: error,
      });
    }
    throw new A4cAdminError('BACKUP_INVALID', `${folder} has no readable ${MANIFEST_FILE} (${code ?? 'error'}): it is not a complete backup.`, {
      hint: 'A backup that was interrupted has no manifest: delete this folder and run the backup again.',
      cause: error,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new A4cAdminError('BACKUP_INVALID', `${file} is not valid JSON: ${(error as Error).message}`, {
      hint: 'The manifest is damaged; restore the backup folder from a copy, or take a new backup.',
      cause: error,
    });
  }
  checkVersions(raw, file);
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new A4cAdminError('BACKUP_INVALID', `${file} does not match the manifest schema: ${describeIssues(parsed.error)}`, {
      hint: 'The manifest is damaged or was edited by hand; restore the backup folder from a copy, or take a new backup.',
    });
  }
  const expected = computeManifestSha256(parsed.data);
  if (parsed.data.manifestSha256 !== expected) {
    throw new A4cAdminError('BACKUP_INVALID', `${file} was changed after it was written: its manifestSha256 does not match its content.`, {
      hint: 'Do not edit manifest.json by hand; restore the backup folder from a copy, or take a new backup.',
      details: { recorded: parsed.data.manifestSha256, computed: expected },
    });
  }
  return parsed.data;
}

/** The manifest content a backup of this tool version starts from. */
export function manifestTool(): Manifest['tool'] {
  return { name: TOOL_NAME, version: TOOL_VERSION };
}

function checkVersions(raw: unknown, file: string): void {
  const record = (typeof raw === 'object' && raw !== null ? raw : {}) as { formatVersion?: unknown; tool?: { version?: unknown } };
  const version = typeof record.tool?.version === 'string' ? record.tool.version : undefined;
  const theirMajor = version === undefined ? undefined : Number.parseInt(version, 10);
  const ourMajor = Number.parseInt(TOOL_VERSION, 10);
  const newerFormat = typeof record.formatVersion === 'number' && record.formatVersion > MANIFEST_FORMAT_VERSION;
  if (newerFormat || (theirMajor !== undefined && theirMajor > ourMajor)) {
    throw new A4cAdminError('VERSION_MISMATCH', `${file} was written by ${TOOL_NAME} ${version ?? '(unknown)'}, newer than this ${TOOL_VERSION}.`, {
      hint: `Use ${TOOL_NAME} ${theirMajor ?? 'the newer version'}.x or later to read this backup.`,
      details: { manifestToolVersion: version, toolVersion: TOOL_VERSION, formatVersion: record.formatVersion },
    });
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ')
    .concat(error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : '');
}
