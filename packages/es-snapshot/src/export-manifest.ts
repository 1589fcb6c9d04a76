// The export manifest: what an export folder holds (per index: definition, count at the
// point in time, and each chunk's document count and SHA-256). Written last, atomically.
import { join } from 'node:path';
import { A4cAdminError, type ExportedChunk, type IndexDefinition, isA4cAdminError } from '@a4c-admin/core';
import { EXPORT_MANIFEST_FILE, readRegularTextFile, writeFileAtomic } from '@a4c-admin/core/internal';

// One name for both sides: core hashes this file into the backup's manifest.json.
export { EXPORT_MANIFEST_FILE };
export const EXPORT_FORMAT = 'a4c-admin-export';
export const EXPORT_FORMAT_VERSION = 1;

/** One chunk file: core's `ExportedChunk`, the one shape of a chunk on both sides of the port. */
export type ExportChunk = ExportedChunk;

export interface IndexExport {
  /** The name exported (an index or an alias). */
  index: string;
  /** The concrete index the name pointed at. */
  concreteIndex: string;
  /** Documents at the point in time: the export holds exactly this many. */
  count: number;
  definition: IndexDefinition;
  /** Aliases the concrete index had, for information: import does not re-create them. */
  aliases: string[];
  compression: 'gzip' | 'none';
  chunks: ExportChunk[];
  startedAt: string;
  endedAt: string;
}

export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  formatVersion: number;
  createdAt: string;
  indices: IndexExport[];
}

/** Writes the manifest atomically and durably: it is whole or absent. */
export async function writeExportManifest(folder: string, manifest: ExportManifest): Promise<void> {
  const target = join(folder, EXPORT_MANIFEST_FILE);
  try {
    await writeFileAtomic(target, `${JSON.stringify(manifest, null, 2)}\n`);
  } catch (error) {
    throw new A4cAdminError('FILESYSTEM', `Cannot write the export manifest ${target}: ${(error as Error).message}`, {
      hint: 'Check that the export folder is writable and the disk has room.',
      cause: error,
    });
  }
}

export async function readExportManifest(folder: string): Promise<ExportManifest> {
  const path = join(folder, EXPORT_MANIFEST_FILE);
  let text: string;
  try {
    // Never a plain open: a fifo in its place would hang the restore (and its lock) for good.
    text = await readRegularTextFile(path, {
      what: 'The export manifest',
      code: 'EXPORT_INVALID',
      hint: 'Give the folder of a complete a4c-admin export: its manifest is a regular file.',
    });
  } catch (error) {
    if (isA4cAdminError(error)) throw error;
    throw new A4cAdminError('EXPORT_INVALID', `${folder} holds no export manifest (${EXPORT_MANIFEST_FILE}).`, {
      hint: 'Give the folder of a complete export: an export that failed or is still running has no manifest.',
      cause: error,
    });
  }
  let manifest: ExportManifest;
  try {
    manifest = JSON.parse(text) as ExportManifest;
  } catch (error) {
    throw new A4cAdminError('EXPORT_INVALID', `${path} is not valid JSON.`, { hint: 'The manifest was damaged: export the index again.', cause: error });
  }
  if (manifest.format !== EXPORT_FORMAT || !Array.isArray(manifest.indices)) {
    throw new A4cAdminError('EXPORT_INVALID', `${path} is not an a4c-admin export manifest.`, { hint: 'Give the folder of an a4c-admin export.' });
  }
  if (manifest.formatVersion > EXPORT_FORMAT_VERSION) {
    throw new A4cAdminError('EXPORT_INVALID', `${path} has format version ${manifest.formatVersion}; this a4c-admin reads up to ${EXPORT_FORMAT_VERSION}.`, {
      hint: 'Import it with the a4c-admin version that wrote it, or a newer one.',
    });
  }
  return manifest;
}
