// Exports indices into a folder as bulk-ready NDJSON chunks (gzip level 1 by default),
// copying each document's bytes as Elasticsearch sent them, then writes the manifest last.
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { A4cAdminError, isA4cAdminError } from '@a4c-admin/core';
import type { ProgressReporter } from '@a4c-admin/core/internal';
import type { Client } from '@elastic/elasticsearch';
import type { ServerDialect } from './dialect/server-dialect.js';
import { documentPages } from './document-pages.js';
import {
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  EXPORT_MANIFEST_FILE,
  type ExportChunk,
  type ExportManifest,
  type IndexExport,
  writeExportManifest,
} from './export-manifest.js';
import { readIndexDefinition } from './index-definition.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

export interface ExportOptions {
  /** Export folder (created when missing). */
  folder: string;
  /** Uncompressed bytes a chunk file, 64 MB by default. */
  chunkBytes?: number;
  /** Documents a page (1-10000), 5000 by default. */
  pageSize?: number;
  /** gzip level 1 by default: fast enough never to be the bottleneck. */
  compression?: 'gzip' | 'none';
  /** How long the point in time stays open between pages, "2m" by default. */
  keepAlive?: string;
  progress?: ProgressReporter;
  signal?: AbortSignal;
  /** The connected server's dialect (connectElasticsearch); 8.x when absent. On multi-type servers each line keeps its `_type`. */
  dialect?: ServerDialect;
}

const ACTION_START = Buffer.from('{"index":{"_index":');
const TYPE_PART = Buffer.from(',"_type":');
const ID_PART = Buffer.from(',"_id":');
const ROUTING_PART = Buffer.from(',"routing":');
const ACTION_END = Buffer.from('}}\n');
const NEWLINE = Buffer.from('\n');

/** One chunk file being written: compression, hashing and the file behind it. */
class ChunkWriter {
  private readonly hash: Hash = createHash('sha256');
  private compressedBytes = 0;
  private readonly input: Transform;
  private readonly finished: Promise<void>;
  uncompressedBytes = 0;
  documentCount = 0;

  constructor(
    readonly file: string,
    path: string,
    compression: 'gzip' | 'none',
  ) {
    this.input = compression === 'gzip' ? createGzip({ level: 1, chunkSize: 256 * 1024 }) : new PassThrough();
    const hash = this.hash;
    const count = (bytes: number) => {
      this.compressedBytes += bytes;
    };
    this.finished = pipeline(
      this.input,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const part of source) {
          hash.update(part);
          count(part.length);
          yield part;
        }
      },
      createWriteStream(path, { highWaterMark: 1024 * 1024, mode: 0o600 }) as Writable,
    );
    // Errors surface in close(); until then, keep them from crashing the process.
    this.finished.catch(() => undefined);
  }

  async write(bytes: Buffer, documents: number): Promise<void> {
    this.uncompressedBytes += bytes.length;
    this.documentCount += documents;
    if (!this.input.write(bytes)) await Promise.race([once(this.input, 'drain'), this.finished]);
  }

  async close(): Promise<ExportChunk> {
    this.input.end();
    await this.finished;
    return { file: this.file, documents: this.documentCount, bytes: this.compressedBytes, sha256: this.hash.digest('hex') };
  }

  async abort(): Promise<void> {
    this.input.destroy();
    await this.finished.catch(() => undefined);
  }
}

/** Characters allowed in a chunk file name; index names are already lower-case and safe, aliases too. */
function fileStem(index: string): string {
  return index.replace(/[^a-z0-9._-]/gi, '_');
}

async function exportOne(client: Client, index: string, options: ExportOptions): Promise<IndexExport> {
  const startedAt = new Date().toISOString();
  const compression = options.compression ?? 'gzip';
  const chunkBytes = options.chunkBytes ?? 64 * 1024 * 1024;
  const pageSize = Math.min(Math.max(options.pageSize ?? 5000, 1), 10_000);
  const progress = options.progress;
  const extension = compression === 'gzip' ? '.ndjson.gz' : '.ndjson';
  const { concreteIndex, mappings, settings } = await readIndexDefinition(client, index);
  const aliases = await client.indices
    .getAlias({ index: concreteIndex })
    .then((answer) => Object.keys(answer[concreteIndex]?.aliases ?? {}).sort())
    .catch((error: unknown) => {
      throw wrapElasticsearchError(error, `reading the aliases of ${index}`);
    });

  const indexJson = Buffer.from(JSON.stringify(index));
  const chunks: ExportChunk[] = [];
  const writtenFiles: string[] = [];
  let chunk: ChunkWriter | undefined;
  let total: number | undefined;
  let exported = 0;
  let bytes = 0;
  progress?.emit({ phase: 'export', kind: 'start', item: index });
  try {
    const keepTypes = options.dialect?.multiType === true;
    for await (const page of documentPages(client, index, { pageSize, keepAlive: options.keepAlive ?? '2m', signal: options.signal }, options.dialect)) {
      total ??= page.total;
      if (page.hits.length === 0) continue;
      // One buffer a page: building it costs a copy of the sources, never a parse.
      const parts: Buffer[] = [];
      for (const hit of page.hits) {
        parts.push(ACTION_START, indexJson);
        if (keepTypes && hit.typeJson) parts.push(TYPE_PART, hit.typeJson);
        parts.push(ID_PART, hit.idJson);
        if (hit.routingJson) parts.push(ROUTING_PART, hit.routingJson);
        parts.push(ACTION_END, hit.source, NEWLINE);
      }
      const pageBytes = Buffer.concat(parts);
      if (!chunk) {
        const file = `${fileStem(index)}-${String(chunks.length + 1).padStart(5, '0')}${extension}`;
        writtenFiles.push(file);
        chunk = new ChunkWriter(file, join(options.folder, file), compression);
      }
      await chunk.write(pageBytes, page.hits.length);
      exported += page.hits.length;
      bytes += pageBytes.length;
      if (chunk.uncompressedBytes >= chunkBytes) {
        chunks.push(await chunk.close());
        chunk = undefined;
      }
      progress?.emit({ phase: 'export', kind: 'progress', item: index, done: exported, total, bytes });
    }
    if (chunk) chunks.push(await chunk.close());
    chunk = undefined;
  } catch (error) {
    // No short file may stay behind looking like a finished export.
    await chunk?.abort();
    await Promise.all(writtenFiles.map((file) => rm(join(options.folder, file), { force: true })));
    if (isA4cAdminError(error)) throw error;
    if ((error as { code?: string }).code === 'ENOSPC') {
      throw new A4cAdminError('DISK_FULL', `The disk of ${options.folder} is full: the export of ${index} stopped.`, {
        hint: 'Free some space or export elsewhere.',
        cause: error,
      });
    }
    throw new A4cAdminError('FILESYSTEM', `Cannot write the export of ${index} into ${options.folder}: ${(error as Error).message}`, {
      hint: 'Check that the export folder is writable and the disk has room.',
      cause: error,
    });
  }
  if (total !== undefined && exported !== total) {
    await Promise.all(writtenFiles.map((file) => rm(join(options.folder, file), { force: true })));
    throw new A4cAdminError('COUNT_MISMATCH', `Exported ${exported} documents of ${index}, but it held ${total} at the point in time.`, {
      hint: 'Something went wrong while paging; run the export again and report it if it repeats.',
      details: { index, exported, expected: total },
    });
  }
  progress?.emit({ phase: 'export', kind: 'end', item: index, done: exported, total, bytes });
  return {
    index,
    concreteIndex,
    count: exported,
    definition: { mappings, settings },
    aliases,
    compression,
    chunks,
    startedAt,
    endedAt: new Date().toISOString(),
  };
}

async function prepareFolder(folder: string, indices: string[]): Promise<void> {
  try {
    // Exports hold every A4C document (users included): for the operator only, like backups.
    await mkdir(folder, { recursive: true, mode: 0o700 });
    // An old manifest would vouch for chunks this export is about to replace.
    await rm(join(folder, EXPORT_MANIFEST_FILE), { force: true });
    const stems = new Set(indices.map(fileStem));
    for (const entry of await readdir(folder)) {
      const match = /^(.*)-\d{5}\.ndjson(\.gz)?$/.exec(entry);
      if (match && stems.has(match[1]!)) await rm(join(folder, entry), { force: true });
    }
  } catch (error) {
    throw new A4cAdminError('FILESYSTEM', `Cannot prepare the export folder ${folder}: ${(error as Error).message}`, {
      hint: 'Check that the folder (or its parent) is writable.',
      cause: error,
    });
  }
}

/** Exports several indices (or aliases) into one folder, one manifest for all, written last. */
export async function exportIndices(client: Client, options: ExportOptions & { indices: string[] }): Promise<ExportManifest> {
  if (options.indices.length === 0) throw new A4cAdminError('USAGE', 'The export names no index.', { hint: 'Give the indices to export.' });
  await prepareFolder(options.folder, options.indices);
  const createdAt = new Date().toISOString();
  const exports: IndexExport[] = [];
  for (const index of options.indices) exports.push(await exportOne(client, index, options));
  const manifest: ExportManifest = { format: EXPORT_FORMAT, formatVersion: EXPORT_FORMAT_VERSION, createdAt, indices: exports };
  await writeExportManifest(options.folder, manifest);
  return manifest;
}

/** Exports one index (or alias) into a folder; see exportIndices. */
export async function exportIndex(client: Client, options: ExportOptions & { index: string }): Promise<IndexExport> {
  const manifest = await exportIndices(client, { ...options, indices: [options.index] });
  return manifest.indices[0]!;
}
