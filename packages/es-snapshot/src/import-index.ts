// Loads an export folder back into Elasticsearch: checks every chunk's SHA-256 before
// loading anything, recreates the index, streams the NDJSON lines into _bulk, checks counts.
import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { A4cAdminError, type IndexDefinition, isA4cAdminError } from '@a4c-admin/core';
import { allowConcurrentListeners, mapConcurrently, openRegularFile, type ProgressReporter, settledLater } from '@a4c-admin/core/internal';
import type { Client } from '@elastic/elasticsearch';
import { countIndices } from './batched-counts.js';
import { createIndices } from './batched-index-operations.js';
import { type BulkBytesBudget, bulkBytesBudgetOf } from './bulk-bytes-budget.js';
import { type BulkRejection, createBulkLoader } from './bulk-loader.js';
import { DEFAULT_DIALECT, documentType, type ServerDialect } from './dialect/server-dialect.js';
import { type IndexExport, readExportManifest } from './export-manifest.js';
import { loadIntoNewIndex, SMALL_LOAD_DOCUMENTS, settingsForLoad } from './load-settings.js';
import { withSiblingsStopped } from './siblings-stopped.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

export interface ImportOptions {
  /** The export folder. */
  folder: string;
  /** Create the index from this definition (a migration's target mappings) instead of the exported one. */
  definition?: IndexDefinition;
  /** Replace an existing target index; without it, an existing target is refused. */
  replace?: boolean;
  /** Rejected documents go to this NDJSON file (one line each, with the reason) instead of failing the import. */
  deadLetterFile?: string;
  /** Bytes a bulk request, 8 MB by default (less on a node whose indexing-pressure limit is small). */
  bulkBytes?: number;
  /** Bulk requests in flight an index, 3 by default; the bytes in flight of the whole import are bounded by the nodes' indexing-pressure limit. */
  concurrency?: number;
  progress?: ProgressReporter;
  signal?: AbortSignal;
  /** The connected server's dialect (connectElasticsearch); 8.x when absent. */
  dialect?: ServerDialect;
}

export interface ImportResult {
  index: string;
  written: number;
  rejected: number;
  deadLetterFile?: string;
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  // A chunk is a regular file; a fifo in its place would block for good.
  const handle = await openRegularFile(path, { noFollow: true, what: 'The export chunk', code: 'EXPORT_INVALID' });
  for await (const part of handle.createReadStream({ highWaterMark: 1024 * 1024 })) hash.update(part as Buffer);
  return hash.digest('hex');
}

/** Every chunk of the export is whole: checked before anything is loaded. */
async function verifyChunks(folder: string, entry: IndexExport, progress?: ProgressReporter): Promise<void> {
  progress?.emit({ phase: 'verify', kind: 'start', item: entry.index, total: entry.chunks.length });
  let done = 0;
  for (const chunk of entry.chunks) {
    let actual: string;
    try {
      actual = await sha256OfFile(join(folder, chunk.file));
    } catch (error) {
      throw new A4cAdminError('EXPORT_INVALID', `Chunk ${chunk.file} of the export of ${entry.index} cannot be read: ${(error as Error).message}`, {
        hint: 'The export folder is incomplete: copy it again from its source, or export again.',
        details: { chunk: chunk.file },
        cause: error,
      });
    }
    if (actual !== chunk.sha256) {
      throw new A4cAdminError(
        'CHECKSUM_MISMATCH',
        `Chunk ${chunk.file} of the export of ${entry.index} is damaged: its SHA-256 differs from the manifest's. Nothing was imported.`,
        {
          hint: 'Copy the export folder again from its source, or export the index again.',
          details: { chunk: chunk.file, expected: chunk.sha256, actual },
        },
      );
    }
    progress?.emit({ phase: 'verify', kind: 'progress', item: entry.index, done: ++done, total: entry.chunks.length });
  }
}

/**
 * Calls `onDocument(action, source)` for each pair of lines of a chunk, splitting on bytes; waits
 * only when `onDocument` returns a promise (a bulk request filled up).
 */
async function readChunk(path: string, compressed: boolean, onDocument: (action: Buffer, source: Buffer) => Promise<void> | undefined): Promise<void> {
  let carry: Buffer | undefined;
  let action: Buffer | undefined;
  const handleLine = (line: Buffer): Promise<void> | undefined => {
    if (line.length === 0) return undefined;
    if (action === undefined) {
      action = line;
      return undefined;
    }
    const pending = action;
    action = undefined;
    return onDocument(pending, line);
  };
  const source = (await openRegularFile(path, { noFollow: true, what: 'The export chunk', code: 'EXPORT_INVALID' })).createReadStream({
    highWaterMark: 1024 * 1024,
  });
  const stream = compressed ? source.pipe(createGunzip({ chunkSize: 256 * 1024 })) : source;
  source.on('error', (error) => stream.destroy(error));
  for await (const part of stream as AsyncIterable<Buffer>) {
    let buffer = carry ? Buffer.concat([carry, part]) : part;
    let start = 0;
    for (;;) {
      const end = buffer.indexOf(0x0a, start);
      if (end < 0) break;
      // Lines are slices of the decompressed buffer: no copy until the bulk body is built.
      const full = handleLine(buffer.subarray(start, end));
      if (full) await full;
      start = end + 1;
    }
    carry = start < buffer.length ? buffer.subarray(start) : undefined;
    buffer = Buffer.alloc(0);
  }
  if (carry) await handleLine(carry);
  if (action !== undefined) throw new SyntaxError(`${path} ends with an action line and no document`);
}

/** The keys an action line written by the export may hold (see export-index.ts). */
const ACTION_KEYS = new Set(['_index', '_type', '_id', 'routing', '_routing']);

/**
 * The action line to send for one exported document. The chunk passed its checksum, but a
 * checksum proves only that nobody changed the file since the manifest was written: the line
 * must also be the plain `index` action into the index being imported, or a forged export
 * could write (or delete) documents of any other index. Retargets it when asked.
 */
function checkedAction(action: Buffer, exported: string, target: string, chunk: string, dialect: ServerDialect): Buffer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(action.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const operation = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>).index : undefined;
  const fields = operation && typeof operation === 'object' ? (operation as Record<string, unknown>) : undefined;
  const valid =
    fields !== undefined &&
    Object.keys(parsed as object).length === 1 &&
    fields._index === exported &&
    Object.entries(fields).every(([key, value]) => ACTION_KEYS.has(key) && typeof value === 'string');
  if (!valid) {
    const shown = action.toString('utf8', 0, Math.min(action.length, 200));
    throw new A4cAdminError(
      'EXPORT_INVALID',
      `Chunk ${chunk} of the export of ${exported} holds an action line that is not an index action into ${exported}: ${shown}`,
      {
        hint: 'The export was not written by a4c-admin or was edited by hand: restore from another backup, or export the index again.',
        details: { chunk, index: exported },
      },
    );
  }
  // The line in the server's words: a type only where the server has types (an export of a
  // multi-type server loaded into 8.x loses it), the routing under the key the server reads.
  let changed = target !== exported;
  fields._index = target;
  const type = documentType(dialect, fields._type as string | undefined);
  if (type !== fields._type) {
    if (type === undefined) delete fields._type;
    else fields._type = type;
    changed = true;
  }
  const routingKey = fields.routing !== undefined ? 'routing' : fields._routing !== undefined ? '_routing' : undefined;
  if (routingKey && routingKey !== dialect.routingKey) {
    const { [routingKey]: routing, ...rest } = fields;
    const rewritten: Record<string, unknown> = { ...rest, [dialect.routingKey]: routing };
    return Buffer.from(JSON.stringify({ index: rewritten }));
  }
  return changed ? Buffer.from(JSON.stringify(parsed)) : action;
}

/**
 * The action lines of one index, checked on their bytes. The export writes
 * `{"index":{"_index":<name>,"_id":"<id>"}}` for a document without type or routing: a line of
 * exactly that shape, its id free of quotes, backslashes and control characters, is an index
 * action into the exported index with nothing else in it, so it needs no `JSON.parse` (1.6 s of
 * CPU in a 200k-document import). Any other line goes through `checkedAction`.
 */
function actionChecker(exported: string, target: string, chunk: () => string, dialect: ServerDialect): (action: Buffer) => Buffer {
  const prefix = Buffer.from(`{"index":{"_index":${JSON.stringify(exported)},"_id":"`);
  const retargeted = target === exported ? undefined : Buffer.from(`{"index":{"_index":${JSON.stringify(target)},"_id":"`);
  // A server with types wants one on every line: those lines are rewritten the slow way.
  const fast = documentType(dialect, undefined) === undefined;
  const plainId = (action: Buffer) => {
    const end = action.length - 3;
    // The closing `"}}`.
    if (end < prefix.length || action[end] !== 0x22 || action[end + 1] !== 0x7d || action[end + 2] !== 0x7d) return false;
    for (let position = prefix.length; position < end; position++) {
      const byte = action[position]!;
      if (byte === 0x22 || byte === 0x5c || byte < 0x20) return false;
    }
    return action.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
  };
  return (action) => {
    if (!fast || !plainId(action)) return checkedAction(action, exported, target, chunk(), dialect);
    return retargeted ? Buffer.concat([retargeted, action.subarray(prefix.length)]) : action;
  };
}

/** One index of the export and what it becomes. */
interface ImportTarget {
  entry: IndexExport;
  target: string;
  definition: IndexDefinition;
  deadLetterFile?: string;
}

/** Index names a request holds at most, so that its URL stays short. */
const NAMES_PER_REQUEST = 50;

function inGroups<T>(items: readonly T[]): T[][] {
  const groups: T[][] = [];
  for (let start = 0; start < items.length; start += NAMES_PER_REQUEST) groups.push(items.slice(start, start + NAMES_PER_REQUEST));
  return groups;
}

/** The targets that exist already are refused, or deleted with `replace`: one request for all (a few for many). */
async function clearTargets(client: Client, dialect: ServerDialect, names: string[], replace: boolean | undefined, signal?: AbortSignal): Promise<void> {
  const existing = [...(await countIndices(client, dialect, names, signal)).keys()];
  if (existing.length === 0) return;
  if (!replace) {
    throw new A4cAdminError('PRECONDITION_FAILED', `Index ${existing.join(', ')} already exists: the import would mix two sets of documents.`, {
      hint: 'Delete it first, import under another name, or ask to replace it.',
      details: { index: existing[0], indices: existing },
    });
  }
  // Only names that exist: a missing one would make the whole request fail (and delete nothing).
  for (const group of inGroups(existing)) {
    try {
      await client.indices.delete({ index: group }, { signal });
    } catch (error) {
      throw wrapElasticsearchError(error, `deleting ${group.length} indices before the import`);
    }
  }
}

/** Streams an index's chunks into _bulk; a large load runs without refreshes and replicas. */
async function loadTarget(
  client: Client,
  folder: string,
  { entry, target, definition, deadLetterFile }: ImportTarget,
  options: ImportOptions,
  budget: BulkBytesBudget,
) {
  const progress = options.progress;
  const dialect = options.dialect ?? DEFAULT_DIALECT;
  let deadLetter: FileHandle | undefined;
  let deadLetterWrites = Promise.resolve();
  const onRejected = deadLetterFile
    ? async (rejection: BulkRejection) => {
        deadLetter ??= await open(deadLetterFile, 'a');
        const line = `{"status":${rejection.status},"type":${JSON.stringify(rejection.type ?? null)},"reason":${JSON.stringify(rejection.reason)},"action":${rejection.action.toString('utf8')},"source":${rejection.source.toString('utf8')}}\n`;
        // Appends one after another, whatever the order the bulk answers come back in.
        deadLetterWrites = deadLetterWrites.then(() => deadLetter!.appendFile(line));
        await deadLetterWrites;
      }
    : undefined;
  let done = 0;
  progress?.emit({ phase: 'import', kind: 'start', item: target, total: entry.count });
  const load = async () => {
    const loader = createBulkLoader(client, {
      path: '/_bulk',
      context: `importing ${entry.index} into ${target}`,
      bulkBytes: options.bulkBytes,
      concurrency: options.concurrency,
      budget,
      signal: options.signal,
      onRejected,
      onWritten(documents) {
        done += documents;
        progress?.emit({ phase: 'import', kind: 'progress', item: target, done, total: entry.count });
      },
    });
    let chunkFile = '';
    const checked = actionChecker(entry.index, target, () => chunkFile, dialect);
    try {
      for (const chunk of entry.chunks) {
        chunkFile = chunk.file;
        await readChunk(join(folder, chunk.file), entry.compression === 'gzip', (action, source) => loader.add(checked(action), source));
      }
    } catch (error) {
      await loader.finish().catch(() => undefined);
      if (isA4cAdminError(error)) throw error;
      throw new A4cAdminError('EXPORT_INVALID', `Cannot read the export of ${entry.index}: ${(error as Error).message}`, {
        hint: 'The chunk passed its checksum but does not hold bulk NDJSON: it was not written by a4c-admin.',
        cause: error,
      });
    }
    return loader.finish();
  };
  try {
    // A small load is refreshed with the others, in one request, once all are loaded; a large
    // one's index was created without refreshes and replicas (settingsForLoad).
    return entry.count < SMALL_LOAD_DOCUMENTS ? await load() : await loadIntoNewIndex(client, dialect, target, definition.settings, load);
  } finally {
    await deadLetterWrites.catch(() => undefined);
    await (deadLetter as FileHandle | undefined)?.close();
  }
}

/** Creations sent ahead of the loads, at once: the master applies the ones it finds queued together. */
const CREATIONS_AHEAD = 8;

/**
 * Imports verified indices: the targets cleared at once, then created and loaded side by side,
 * the largest first: a load starts as soon as its own index's primaries have started, while the
 * smaller indices are still being created (creating 34 indices takes seconds on a busy master,
 * which the largest load no longer waits for). The loads share one budget of bytes in flight;
 * the small ones are refreshed and every count checked in one request each.
 */
async function importTargets(
  client: Client,
  folder: string,
  targets: ImportTarget[],
  options: ImportOptions & { indexConcurrency?: number },
): Promise<ImportResult[]> {
  const dialect = options.dialect ?? DEFAULT_DIALECT;
  const names = targets.map(({ target }) => target);
  await clearTargets(client, dialect, names, options.replace, options.signal);
  // One budget of bytes in flight for every index loaded at once (see bulk-bytes-budget.ts).
  const budget = await bulkBytesBudgetOf(client, options.signal);
  const largestFirst = targets.map((target, position) => ({ target, position })).sort((a, b) => b.target.entry.count - a.target.entry.count);
  const loaded: { written: number; rejected: number }[] = new Array(targets.length);
  await withSiblingsStopped(options.signal, async (signal, guard) => {
    // Creations and loads in flight each listen to it (Node warns past 10 listeners).
    allowConcurrentListeners(signal);
    const created = largestFirst.map(() => settledLater());
    const creating = mapConcurrently(
      largestFirst,
      CREATIONS_AHEAD,
      async ({ target: { target, entry, definition } }, order) => {
        // A large load's index is born without refreshes and replicas (put back after its load).
        const settings = entry.count < SMALL_LOAD_DOCUMENTS ? definition.settings : settingsForLoad(definition.settings);
        try {
          await createIndices(client, [{ index: target, definition: { ...definition, settings: settings as IndexDefinition['settings'] } }], dialect, signal);
          created[order]!.resolve();
        } catch (error) {
          created[order]!.reject(error);
          throw error;
        }
      },
      { signal },
    );
    // A creation that fails, or that is never started (cancelled), fails the load waiting for it.
    creating.catch((error: unknown) => {
      for (const creation of created) creation.reject(error);
    });
    try {
      await mapConcurrently(
        largestFirst,
        options.indexConcurrency ?? INDEX_CONCURRENCY,
        ({ target, position }, order) =>
          guard(async () => {
            await created[order]!.promise;
            loaded[position] = await loadTarget(client, folder, target, { ...options, signal }, budget);
          }),
        { signal, cancelHint: 'Run the import again.' },
      );
    } finally {
      // Nothing is left creating behind the caller's back, whatever happened to the loads.
      await creating.catch(() => undefined);
    }
    await creating;
  });
  const small = targets.filter(({ entry }) => entry.count < SMALL_LOAD_DOCUMENTS).map(({ target }) => target);
  for (const group of inGroups(small)) {
    try {
      await client.indices.refresh({ index: group }, { signal: options.signal });
    } catch (error) {
      throw wrapElasticsearchError(error, `refreshing ${group.length} indices after their load`);
    }
  }
  const counts = await countIndices(client, dialect, names, options.signal);
  return targets.map(({ entry, target, deadLetterFile }, position) => {
    const result = loaded[position]!;
    const count = counts.get(target) ?? 0;
    if (count !== result.written || result.written + result.rejected !== entry.count) {
      throw new A4cAdminError(
        'COUNT_MISMATCH',
        `Index ${target} holds ${count} documents after the import; the export had ${entry.count} (${result.rejected} rejected).`,
        {
          hint: 'Another writer may be using the index; make sure nothing else writes to it and import again with replace.',
          details: { index: target, count, expected: entry.count, written: result.written, rejected: result.rejected },
        },
      );
    }
    options.progress?.emit({ phase: 'import', kind: 'end', item: target, done: result.written, total: entry.count });
    const imported: ImportResult = { index: target, written: result.written, rejected: result.rejected };
    if (deadLetterFile && result.rejected > 0) imported.deadLetterFile = deadLetterFile;
    return imported;
  });
}

/** Imports one index of an export folder (the only one, or `index`), under `targetIndex` when given. */
export async function importIndex(client: Client, options: ImportOptions & { index?: string; targetIndex?: string }): Promise<ImportResult> {
  const manifest = await readExportManifest(options.folder);
  const entry = options.index
    ? manifest.indices.find((candidate) => candidate.index === options.index)
    : manifest.indices.length === 1
      ? manifest.indices[0]
      : undefined;
  if (!entry) {
    throw new A4cAdminError(
      'INDEX_NOT_FOUND',
      options.index
        ? `The export in ${options.folder} holds no index ${options.index}.`
        : `The export in ${options.folder} holds ${manifest.indices.length} indices: say which one to import.`,
      {
        hint: `It holds: ${manifest.indices.map((candidate) => candidate.index).join(', ') || 'nothing'}.`,
      },
    );
  }
  await verifyChunks(options.folder, entry, options.progress);
  const target: ImportTarget = {
    entry,
    target: options.targetIndex ?? entry.index,
    definition: options.definition ?? entry.definition,
    deadLetterFile: options.deadLetterFile,
  };
  return (await importTargets(client, options.folder, [target], options))[0]!;
}

/**
 * Imports every index of an export folder (or those named). Every chunk of every index is
 * verified before the first document is loaded.
 */
export async function importIndices(
  client: Client,
  options: Omit<ImportOptions, 'definition' | 'deadLetterFile'> & {
    indices?: string[];
    /** The name each index gets; the exported name by default. */
    targetIndex?: (index: string) => string;
    /** Folder for one dead-letter file per index (`<index>.dead-letter.ndjson`). */
    deadLetterFolder?: string;
    /** Runs once every chunk is verified, before the first index is created. */
    beforeLoad?: () => Promise<void>;
    /** Indices loaded at once, 4 by default. */
    indexConcurrency?: number;
  },
): Promise<ImportResult[]> {
  allowConcurrentListeners(options.signal);
  const manifest = await readExportManifest(options.folder);
  const wanted = options.indices ?? manifest.indices.map((entry) => entry.index);
  const entries = wanted.map((name) => {
    const entry = manifest.indices.find((candidate) => candidate.index === name);
    if (!entry)
      throw new A4cAdminError('INDEX_NOT_FOUND', `The export in ${options.folder} holds no index ${name}.`, {
        hint: `It holds: ${manifest.indices.map((candidate) => candidate.index).join(', ')}.`,
      });
    return entry;
  });
  // Hashing reads the disk and one CPU: two indices at a time keep both busy.
  await mapConcurrently(entries, 2, (entry) => verifyChunks(options.folder, entry, options.progress), { signal: options.signal });
  await options.beforeLoad?.();
  const targets = entries.map((entry) => ({
    entry,
    target: options.targetIndex?.(entry.index) ?? entry.index,
    definition: entry.definition,
    deadLetterFile: options.deadLetterFolder ? join(options.deadLetterFolder, `${entry.index}.dead-letter.ndjson`) : undefined,
  }));
  return importTargets(client, options.folder, targets, options);
}

/**
 * Indices loaded at once by default: an A4C installation is ~35 indices, most of a few
 * documents, each costing a few round trips (create, refresh, count) that overlap this way.
 * Their bulk requests in flight share one budget of bytes, so memory does not grow with both.
 */
const INDEX_CONCURRENCY = 4;
