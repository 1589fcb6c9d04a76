// Which files of an export folder hold documents. Two kinds of folder:
// - a4c-admin's own export (`backup --format export`, or the `export/` folder inside such a
//   backup): its export-manifest.json is metadata, not documents. It lists every chunk with its
//   document count, size and SHA-256: only those chunks are read, each checked first, so that a
//   damaged or edited export is refused before anything is migrated;
// - any other folder of NDJSON files (bulk format or elasticdump, plain or gzipped): every
//   `.ndjson`, `.json` or `.gz` file in it.
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { A4cAdminError, type ExportedChunk, isA4cAdminError } from '@a4c-admin/core';
import { EXPORT_MANIFEST_FILE, openRegularFile, readRegularTextFile } from '@a4c-admin/core/internal';

/** One file to read, with what its manifest says of it when there is one. */
export interface ExportFile {
  path: string;
  /** From the export manifest: the chunk's document count (checked when it has been read). */
  documents?: number;
}

export interface ExportFolder {
  /** The folder holding the files (the `export/` subfolder of a backup when given the backup). */
  folder: string;
  /** Whether an a4c-admin export manifest described the folder. */
  manifest: boolean;
  files: ExportFile[];
}

const EXPORT_FILE = /\.(ndjson|json)(\.gz)?$/;
/** Where a backup made with `--format export` keeps its export. */
const BACKUP_EXPORT_FOLDER = 'export';
/** The `format` field of a4c-admin's export manifest (es-snapshot writes it). */
const EXPORT_FORMAT = 'a4c-admin-export';

/** The file name without its export extension: the index name of a file whose lines name none. */
export function exportFileStem(name: string): string {
  return name.replace(EXPORT_FILE, '');
}

export async function findExportFiles(source: string): Promise<ExportFolder> {
  let names = await listFolder(source);
  let folder = source;
  if (!names.includes(EXPORT_MANIFEST_FILE) && names.includes(BACKUP_EXPORT_FOLDER)) {
    const inner = join(source, BACKUP_EXPORT_FOLDER);
    if ((await stat(inner)).isDirectory()) {
      const innerNames = await listFolder(inner);
      if (innerNames.includes(EXPORT_MANIFEST_FILE)) {
        folder = inner;
        names = innerNames;
      }
    }
  }
  if (names.includes(EXPORT_MANIFEST_FILE)) return { folder, manifest: true, files: await verifiedChunks(folder) };
  const files = names
    .filter((name) => EXPORT_FILE.test(name))
    .sort()
    .map((name) => ({ path: join(folder, name) }));
  if (files.length === 0) {
    throw new A4cAdminError('EXPORT_INVALID', `The export folder ${source} holds no .ndjson, .json or .gz file.`, {
      hint: 'Give the folder holding the exported NDJSON files (bulk format or elasticdump --type=data), or an a4c-admin export or backup folder.',
      details: { source },
    });
  }
  return { folder, manifest: false, files };
}

async function listFolder(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    throw new A4cAdminError('EXPORT_INVALID', `Cannot read the export folder ${folder}: ${(error as Error).message}`, {
      hint: 'Give the folder holding the exported NDJSON files.',
      cause: error,
      details: { source: folder },
    });
  }
}

/** The chunks the manifest lists, each checked against its size and SHA-256. */
async function verifiedChunks(folder: string): Promise<ExportFile[]> {
  const path = join(folder, EXPORT_MANIFEST_FILE);
  const text = await readRegularTextFile(path, {
    what: 'The export manifest',
    code: 'EXPORT_INVALID',
    hint: 'Give the folder of a complete a4c-admin export: its manifest is a regular file.',
  });
  const chunks = manifestChunks(text, path);
  const files: ExportFile[] = [];
  for (const chunk of chunks) {
    const file = join(folder, chunk.file);
    const actual = await hashFile(file).catch((error: unknown) => {
      if (isA4cAdminError(error)) throw error;
      throw new A4cAdminError(
        'EXPORT_INVALID',
        `The export chunk ${chunk.file} listed in ${EXPORT_MANIFEST_FILE} cannot be read: ${(error as Error).message}`,
        {
          hint: 'The export is incomplete: copy the whole export folder again, or export again.',
          cause: error,
          details: { file },
        },
      );
    });
    if (actual.sha256 !== chunk.sha256 || actual.bytes !== chunk.bytes) {
      throw new A4cAdminError(
        'EXPORT_INVALID',
        `The export chunk ${chunk.file} changed since the export (its SHA-256 or size differs from ${EXPORT_MANIFEST_FILE}).`,
        {
          hint: 'The export was damaged or edited: copy it again from the original, or export again.',
          details: { file, expected: chunk.sha256, actual: actual.sha256 },
        },
      );
    }
    files.push({ path: file, documents: chunk.documents });
  }
  return files;
}

/** The chunks of an a4c-admin export manifest, in the order it lists them. */
function manifestChunks(text: string, path: string): ExportedChunk[] {
  const invalid = (reason: string) =>
    new A4cAdminError('EXPORT_INVALID', `${path} is not an a4c-admin export manifest: ${reason}.`, {
      hint: 'Give the folder of a complete a4c-admin export (a failed export has no manifest), or a folder of NDJSON files without one.',
      details: { file: path },
    });
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    throw invalid('not valid JSON');
  }
  const record = manifest as { format?: unknown; indices?: unknown };
  if (typeof manifest !== 'object' || manifest === null || record.format !== EXPORT_FORMAT) throw invalid(`its "format" is not "${EXPORT_FORMAT}"`);
  if (!Array.isArray(record.indices)) throw invalid('it has no "indices" list');
  const chunks: ExportedChunk[] = [];
  for (const index of record.indices as Array<{ chunks?: unknown }>) {
    if (!Array.isArray(index?.chunks)) throw invalid('an index has no "chunks" list');
    for (const chunk of index.chunks as ExportedChunk[]) {
      const valid =
        typeof chunk?.file === 'string' &&
        !chunk.file.includes('/') &&
        !chunk.file.includes('\\') &&
        EXPORT_FILE.test(chunk.file) &&
        typeof chunk.sha256 === 'string' &&
        Number.isInteger(chunk.bytes) &&
        Number.isInteger(chunk.documents);
      if (!valid) throw invalid(`a chunk entry is malformed (${JSON.stringify(chunk)?.slice(0, 200)})`);
      chunks.push(chunk);
    }
  }
  return chunks;
}

async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const input = (await openRegularFile(path, { noFollow: true, what: 'The export chunk', code: 'EXPORT_INVALID' })).createReadStream();
  for await (const block of input) {
    hash.update(block as Buffer);
    bytes += (block as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
