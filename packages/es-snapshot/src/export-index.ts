// Exports indices into a folder as bulk-ready NDJSON chunks (gzip level 1 by default),
// copying each document's bytes as Elasticsearch sent them, then writes the manifest last.
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { A4cAdminError, isA4cAdminError } from '@a4c-admin/core';
import { allowConcurrentListeners, mapConcurrently, type ProgressReporter } from '@a4c-admin/core/internal';
import type { Client } from '@elastic/elasticsearch';
import { countIndices } from './batched-counts.js';
import { actionStart, bulkLines } from './bulk-lines.js';
import { DEFAULT_DIALECT, type ServerDialect } from './dialect/server-dialect.js';
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
import { describeIndices, type IndexDescription } from './index-definition.js';
import { closePointInTime, openPointInTime } from './point-in-time-pages.js';
import type { RawSearchPage } from './raw-search-page.js';
import { withSiblingsStopped } from './siblings-stopped.js';
import { slicePages } from './slice-pages.js';

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
  /** Indices exported at once, 4 by default. */
  indexConcurrency?: number;
  /**
   * Slices a large index is read with (sliced point in time, or sliced scroll on 5.x-7.x), at most
   * its primary shards; by default one a shard up to one a CPU for an index of 8 pages or more.
   * 1 reads every index as one stream.
   */
  slices?: number;
}

/** One chunk file being written: compression, hashing and the file behind it. */
class ChunkWriter {
  private readonly hash: Hash = createHash('sha256');
  private compressedBytes = 0;
  private readonly input: Transform;
  private readonly finished: Promise<void>;
  private readonly copyParts: boolean;
  uncompressedBytes = 0;
  documentCount = 0;

  constructor(
    readonly file: string,
    path: string,
    compression: 'gzip' | 'none',
  ) {
    this.input = compression === 'gzip' ? createGzip({ level: 1, chunkSize: 256 * 1024 }) : new PassThrough();
    this.copyParts = compression !== 'gzip';
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

  /**
   * Writes `parts` in order (one page's lines, up to three buffers), which hold `documents`
   * documents. Resolves once the parts are consumed: they are views of the page's buffer, which
   * a later page reuses (reusable-buffer.ts).
   */
  async write(parts: Buffer[], documents: number): Promise<void> {
    this.documentCount += documents;
    let consumed: Promise<void> | undefined;
    for (const part of parts) {
      this.uncompressedBytes += part.length;
      // gzip has read its input when it calls back; an uncompressed part would wait in the file
      // stream's queue after that, so it is copied.
      const bytes = this.copyParts ? Buffer.from(part) : part;
      consumed = new Promise((resolve, reject) => this.input.write(bytes, (error) => (error ? reject(error) : resolve())));
    }
    if (consumed) await Promise.race([consumed, this.finished]);
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

/** One stream of pages of an index (the whole index, or one slice of it) and the stem of its chunk files. */
interface PageStream {
  pages: AsyncIterable<RawSearchPage>;
  fileStem: string;
}

/** What an index's export shares between its streams: its files, its counts, its progress. */
interface IndexExportState {
  index: string;
  /** What every action line of the index starts with (bulk-lines.ts). */
  actionStart: Buffer;
  keepTypes: boolean;
  compression: 'gzip' | 'none';
  chunkBytes: number;
  extension: string;
  writtenFiles: string[];
  exported: number;
  bytes: number;
  /** The count at the point in time: the sum of the streams' first-page totals (undefined if one had none). */
  total: number | undefined;
  totalKnown: boolean;
  options: ExportOptions;
}

/** Writes one stream of pages into its chunk files; returns the chunks in order. */
async function writeStream(state: IndexExportState, stream: PageStream): Promise<ExportChunk[]> {
  const { index, keepTypes, options } = state;
  const chunks: ExportChunk[] = [];
  let chunk: ChunkWriter | undefined;
  let first = true;
  try {
    for await (const page of stream.pages) {
      if (first) {
        first = false;
        if (page.total === undefined) state.totalKnown = false;
        else state.total = (state.total ?? 0) + page.total;
      }
      if (page.hits.length === 0) continue;
      // The page's lines, written over the page's own bytes: a move of the sources, never a parse.
      const documents = page.hits.length;
      const lines = bulkLines(page.hits, state.actionStart, keepTypes);
      const lineBytes = lines.reduce((sum, part) => sum + part.length, 0);
      if (!chunk) {
        const file = `${stream.fileStem}-${String(chunks.length + 1).padStart(5, '0')}${state.extension}`;
        state.writtenFiles.push(file);
        chunk = new ChunkWriter(file, join(options.folder, file), state.compression);
      }
      await chunk.write(lines, documents);
      state.exported += documents;
      state.bytes += lineBytes;
      if (chunk.uncompressedBytes >= state.chunkBytes) {
        chunks.push(await chunk.close());
        chunk = undefined;
      }
      options.progress?.emit({
        phase: 'export',
        kind: 'progress',
        item: index,
        done: state.exported,
        total: state.totalKnown ? state.total : undefined,
        bytes: state.bytes,
      });
    }
    if (chunk) chunks.push(await chunk.close());
    chunk = undefined;
  } finally {
    await chunk?.abort();
  }
  return chunks;
}

/**
 * How many slices to read an index with: 1 for an index of a few pages (a slice costs its own
 * point in time or scroll), else one a primary shard, at most one a CPU (and at least 2: the node
 * reads while this process writes), and `options.slices` when given.
 */
export function slicesFor(count: number, shards: number, pageSize: number, dialect: ServerDialect, wanted?: number): number {
  if (!dialect.slicedReads || shards < 2) return 1;
  if (wanted !== undefined) return Math.max(1, Math.min(Math.floor(wanted), shards));
  if (count < pageSize * SLICED_PAGES) return 1;
  return Math.min(shards, Math.max(2, availableParallelism()));
}

/** Below this many pages an index is read as one stream. */
const SLICED_PAGES = 8;

/**
 * About this many bytes a page (point-in-time-pages.ts): 5000 documents of ~1 KB stay 5000 a
 * page, larger documents make fewer, and no answer holds much more than 4 times this in memory.
 */
const PAGE_BYTES = 8 * 1024 * 1024;

async function exportOne(
  client: Client,
  index: string,
  description: IndexDescription,
  count: number | undefined,
  options: ExportOptions,
): Promise<IndexExport> {
  const startedAt = new Date().toISOString();
  const dialect = options.dialect ?? DEFAULT_DIALECT;
  const compression = options.compression ?? 'gzip';
  const pageSize = Math.min(Math.max(options.pageSize ?? 5000, 1), 10_000);
  const keepAlive = options.keepAlive ?? '2m';
  const { concreteIndex, mappings, settings, aliases } = description;
  const state: IndexExportState = {
    index,
    actionStart: actionStart(index),
    keepTypes: dialect.multiType,
    compression,
    chunkBytes: options.chunkBytes ?? 64 * 1024 * 1024,
    extension: compression === 'gzip' ? '.ndjson.gz' : '.ndjson',
    writtenFiles: [],
    exported: 0,
    bytes: 0,
    total: undefined,
    totalKnown: true,
    options,
  };
  const stem = fileStem(index);
  const slices = count === undefined ? 1 : slicesFor(count, description.shards, pageSize, dialect, options.slices);
  options.progress?.emit({ phase: 'export', kind: 'start', item: index });
  let chunks: ExportChunk[];
  let pitId: string | undefined;
  try {
    if (slices > 1) {
      // Every slice reads the same point in time (scroll slices each see the index as it was when opened).
      if (dialect.paging === 'point-in-time') pitId = await openPointInTime(client, index, keepAlive, options.signal);
      const streams: PageStream[] = Array.from({ length: slices }, (_, id) => ({
        pages: slicePages(client, index, { pageSize, keepAlive, signal: options.signal, pageBytes: PAGE_BYTES }, dialect, { id, max: slices }, pitId),
        fileStem: `${stem}-s${id}`,
      }));
      // Slice after slice in the manifest: the same chunks, named alike, whatever the order the slices ended in.
      chunks = (await mapConcurrently(streams, slices, (stream) => writeStream(state, stream))).flat();
    } else {
      const pages = documentPages(client, index, { pageSize, keepAlive, signal: options.signal, count, pageBytes: PAGE_BYTES }, dialect);
      chunks = await writeStream(state, { pages, fileStem: stem });
    }
  } catch (error) {
    // No short file may stay behind looking like a finished export.
    await removeFiles(options.folder, state.writtenFiles);
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
  } finally {
    if (pitId) await closePointInTime(client, pitId);
  }
  const { exported, bytes } = state;
  const total = state.totalKnown ? state.total : undefined;
  if (total !== undefined && exported !== total) {
    await removeFiles(options.folder, state.writtenFiles);
    throw new A4cAdminError('COUNT_MISMATCH', `Exported ${exported} documents of ${index}, but it held ${total} at the point in time.`, {
      hint: 'Something went wrong while paging; run the export again and report it if it repeats.',
      details: { index, exported, expected: total },
    });
  }
  options.progress?.emit({ phase: 'export', kind: 'end', item: index, done: exported, total, bytes });
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

async function removeFiles(folder: string, files: string[]): Promise<void> {
  await Promise.all(files.map((file) => rm(join(folder, file), { force: true })));
}

async function prepareFolder(folder: string, indices: string[]): Promise<void> {
  try {
    // Exports hold every A4C document (users included): for the operator only, like backups.
    await mkdir(folder, { recursive: true, mode: 0o700 });
    // An old manifest would vouch for chunks this export is about to replace.
    await rm(join(folder, EXPORT_MANIFEST_FILE), { force: true });
    const stems = new Set(indices.map(fileStem));
    for (const entry of await readdir(folder)) {
      // `<stem>-00001.ndjson.gz`, or a slice's `<stem>-s1-00001.ndjson.gz`.
      const match = /^(.*)-\d{5}\.ndjson(\.gz)?$/.exec(entry);
      if (match && (stems.has(match[1]!) || stems.has(match[1]!.replace(/-s\d+$/, '')))) await rm(join(folder, entry), { force: true });
    }
  } catch (error) {
    throw new A4cAdminError('FILESYSTEM', `Cannot prepare the export folder ${folder}: ${(error as Error).message}`, {
      hint: 'Check that the folder (or its parent) is writable.',
      cause: error,
    });
  }
}

/** Indices exported at once by default: small ones overlap their round trips, a large one keeps the others company. */
const INDEX_CONCURRENCY = 4;

/**
 * Exports several indices (or aliases) into one folder, one manifest for all, written last.
 * Their definitions and counts are read in two requests for all; then up to `indexConcurrency`
 * indices are exported at once, the largest first; the manifest lists them in the order given.
 * The first failure stops the others (their files are removed) and no manifest is written.
 */
export async function exportIndices(client: Client, options: ExportOptions & { indices: string[] }): Promise<ExportManifest> {
  if (options.indices.length === 0) throw new A4cAdminError('USAGE', 'The export names no index.', { hint: 'Give the indices to export.' });
  allowConcurrentListeners(options.signal);
  await prepareFolder(options.folder, options.indices);
  const createdAt = new Date().toISOString();
  const dialect = options.dialect ?? DEFAULT_DIALECT;
  const descriptions = await describeIndices(client, options.indices);
  const counts = await countIndices(client, dialect, options.indices, options.signal);
  const largestFirst = options.indices.map((index, position) => ({ index, position })).sort((a, b) => (counts.get(b.index) ?? 0) - (counts.get(a.index) ?? 0));
  const exports: IndexExport[] = new Array(options.indices.length);
  await withSiblingsStopped(options.signal, (signal, guard) =>
    mapConcurrently(
      largestFirst,
      options.indexConcurrency ?? INDEX_CONCURRENCY,
      ({ index, position }) =>
        guard(async () => {
          exports[position] = await exportOne(client, index, descriptions.get(index)!, counts.get(index), { ...options, signal });
        }),
      { signal, cancelHint: 'Run the export again.' },
    ),
  );
  const manifest: ExportManifest = { format: EXPORT_FORMAT, formatVersion: EXPORT_FORMAT_VERSION, createdAt, indices: exports };
  await writeExportManifest(options.folder, manifest);
  return manifest;
}

/** Exports one index (or alias) into a folder; see exportIndices. */
export async function exportIndex(client: Client, options: ExportOptions & { index: string }): Promise<IndexExport> {
  const manifest = await exportIndices(client, { ...options, indices: [options.index] });
  return manifest.indices[0]!;
}
