// The IndexWriter port over Elasticsearch: creates indices and bulk-loads pages of
// documents into them, keeping _id and _routing.
import { A4cAdminError, type IndexDefinition, type IndexWriter, type RejectedDocument, type StoredDocument, type WriteOptions } from '@a4c-admin/core';
import type { Client } from '@elastic/elasticsearch';
import { cloneIndices, createIndices, deleteIndices, liftAllBlocks, setWriteBlocks } from './batched-index-operations.js';
import { type BulkBytesBudget, bulkBytesBudgetOf } from './bulk-bytes-budget.js';
import { type BulkRejection, createBulkLoader } from './bulk-loader.js';
import { bulkActionLine, DEFAULT_DIALECT, type ServerDialect } from './dialect/server-dialect.js';
import { flattenSettings } from './flatten-settings.js';
import { SMALL_LOAD_DOCUMENTS, withLoadSettings } from './load-settings.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

export interface IndexWriterOptions {
  /** Bytes a bulk request, 8 MB by default (less when the writer's budget of bytes in flight is small: bulk-bytes-budget.ts). */
  bulkBytes?: number;
  /** Bulk requests in flight for each load, 3 by default (the writer's loads share its budget of bytes in flight). */
  concurrency?: number;
  /**
   * Stops an index creation in flight (Ctrl-C): it waits for the new index's shards, seconds on
   * a busy cluster. The index may exist anyway; whoever created it (a migration) removes a
   * half-built one on its next run. Removals and write blocks are not stopped: clean-up needs them.
   */
  signal?: AbortSignal;
  /** The connected server's dialect (connectElasticsearch); 8.x when absent. */
  dialect?: ServerDialect;
}

export async function createIndex(client: Client, index: string, definition: IndexDefinition, signal?: AbortSignal): Promise<void> {
  try {
    await client.indices.create(
      { index, mappings: definition.mappings as never, settings: definition.settings as never, aliases: definition.aliases as never },
      { signal },
    );
  } catch (error) {
    throw wrapElasticsearchError(error, `creating index ${index}`);
  }
}

async function refreshIndex(client: Client, index: string): Promise<void> {
  try {
    await client.indices.refresh({ index });
  } catch (error) {
    throw wrapElasticsearchError(error, `refreshing ${index} after a bulk load`);
  }
}

export async function deleteIndex(client: Client, index: string): Promise<void> {
  try {
    await client.indices.delete({ index }, { ignore: [404] });
  } catch (error) {
    throw wrapElasticsearchError(error, `deleting index ${index}`);
  }
}

export async function setWriteBlock(client: Client, index: string, blocked: boolean, dialect: ServerDialect = DEFAULT_DIALECT): Promise<void> {
  try {
    // Before 7.9 the block is only a setting (index.blocks.write exists since 1.x).
    if (blocked && !dialect.addBlockApi) await client.indices.putSettings({ index, settings: { index: { blocks: { write: true } } } });
    else if (blocked) await client.indices.addBlock({ index, block: 'write' });
    // Removing goes through the settings: there is no "remove block" API before 9.x.
    else await client.indices.putSettings({ index, settings: { index: { blocks: { write: false } } } });
  } catch (error) {
    throw wrapElasticsearchError(error, `${blocked ? 'blocking' : 'unblocking'} writes on ${index}`);
  }
}

/**
 * `_clone` of a write-blocked index (7.4+): hard links to its segment files, so seconds whatever
 * its size. The copy would inherit the write block: it is created without it.
 */
export async function cloneIndex(
  client: Client,
  source: string,
  target: string,
  options: { meta?: Record<string, unknown>; settings?: Record<string, unknown> } = {},
  signal?: AbortSignal,
): Promise<void> {
  const meta = options.meta;
  try {
    // A mappings change, which the write block allows; set before the clone, so that the copy is never without it.
    if (meta) await client.indices.putMapping({ index: source, _meta: meta }, { signal });
    const settings = { ...flattenSettings(options.settings ?? {}), 'index.blocks.write': null };
    await client.indices.clone({ index: source, target, settings: settings as never }, { signal });
    // The answer may come before the copy's primaries have recovered from the linked files (seen
    // on a busy node): a count or a search then fails with no shard available, so wait for them.
    await client.cluster.health({ index: target, wait_for_status: 'yellow', timeout: '120s' }, { signal });
    await untilSearchable(client, target, signal);
  } catch (error) {
    throw wrapElasticsearchError(error, `cloning index ${source} into ${target}`);
  }
}

/**
 * Health can say the primaries started a moment before a search finds them (seen at load 30 on
 * 2 cores: counts answered 503 no_shard_available right after): asks `_count` until it answers.
 */
export async function untilSearchable(client: Client, index: string, signal: AbortSignal | undefined): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const answer = await client.transport.request({ method: 'GET', path: `/${encodeURIComponent(index)}/_count` }, { signal, ignore: [503], meta: true });
    if (answer.statusCode !== 503) return;
    if (Date.now() > deadline) throw new Error(`the shards of ${index} stayed unavailable for 120 s after its clone`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function liftBlocks(client: Client, index: string, dialect: ServerDialect = DEFAULT_DIALECT): Promise<string[]> {
  // The answer names the concrete index, also when `index` is an alias.
  return Object.values(await liftAllBlocks(client, [index], dialect))[0] ?? [];
}

/**
 * A mapping rejection (400) goes to the caller as the document it was; anything else (a block,
 * a full disk, a missing index) is no property of the document and fails the write.
 */
async function handOver(
  rejection: BulkRejection,
  onRejected: (rejected: RejectedDocument) => Promise<void>,
  index: string,
  dialect: ServerDialect,
): Promise<void> {
  const described = `${rejection.type ?? rejection.status}: ${rejection.reason}`;
  if (rejection.status !== 400) {
    throw new A4cAdminError('IMPORT_REJECTED', `Elasticsearch refused a document while loading documents into ${index}: ${described}`, {
      hint: 'This is no problem of the document: check the index (blocks) and the cluster (disk, health), then run again.',
      details: { status: rejection.status, type: rejection.type, action: rejection.action.toString('utf8').slice(0, 300) },
    });
  }
  const action = JSON.parse(rejection.action.toString('utf8')) as { index: { _id: string; _type?: string; routing?: string; _routing?: string } };
  const document: StoredDocument = { id: action.index._id, source: JSON.parse(rejection.source.toString('utf8')) as Record<string, unknown> };
  if (action.index._type !== undefined && dialect.multiType) document.type = action.index._type;
  const routing = action.index.routing ?? action.index._routing;
  if (routing !== undefined) document.routing = routing;
  await onRejected({ document, reason: described });
}

export function createIndexWriter(client: Client, options: IndexWriterOptions = {}): IndexWriter {
  const dialect = options.dialect ?? DEFAULT_DIALECT;
  // Every load of this writer shares one budget of bytes in flight, as an import's loads do: loads
  // run side by side (a migration's copies), and each load's own limit (3 bulks of 8 MB) times 4
  // loads went past Elasticsearch's indexing-pressure limit, which answered 429 until the retries
  // ran out. Sized from the nodes' limit on the first write.
  let budget: Promise<BulkBytesBudget> | undefined;
  return {
    create: (index, definition) => createIndex(client, index, definition, options.signal),
    remove: (index) => deleteIndex(client, index),
    setWriteBlock: (index, blocked) => setWriteBlock(client, index, blocked, dialect),
    async clone(source, target, cloneOptions) {
      if (!dialect.cloneApi) return false;
      await cloneIndex(client, source, target, cloneOptions, options.signal);
      return true;
    },
    liftBlocks: (index) => liftBlocks(client, index, dialect),
    liftAllBlocks: (indices) => liftAllBlocks(client, indices, dialect),
    setWriteBlocks: (indices, blocked) => setWriteBlocks(client, indices, blocked, dialect),
    removeAll: (indices) => deleteIndices(client, indices),
    createAll: (indices, onStarted) => createIndices(client, indices, dialect, options.signal, onStarted),
    async cloneAll(clones) {
      if (!dialect.cloneApi) return false;
      await cloneIndices(client, clones, (index) => untilSearchable(client, index, options.signal), options.signal);
      return true;
    },
    async write(index: string, pages: AsyncIterable<StoredDocument[]>, writeOptions: WriteOptions = {}) {
      const progress = writeOptions.progress;
      let done = 0;
      progress?.emit({ phase: 'write', kind: 'start', item: index, total: writeOptions.expected });
      // Below SMALL_LOAD_DOCUMENTS (or with no count given: a large load is the safe guess) the
      // settings changes of withLoadSettings cost more than they save, and the last bulk request
      // makes the documents searchable: no `_refresh` request (68 of them, one an index, in the
      // first migration of the sample installation, queued on the node's refresh threads).
      const small = writeOptions.expected !== undefined && writeOptions.expected < SMALL_LOAD_DOCUMENTS;
      const load = async () => {
        const loader = createBulkLoader(client, {
          bulkBytes: options.bulkBytes,
          concurrency: options.concurrency,
          budget: await (budget ??= bulkBytesBudgetOf(client, options.signal)),
          path: `/${encodeURIComponent(index)}/_bulk`,
          context: `loading documents into ${index}`,
          signal: writeOptions.signal,
          refreshWithLast: small,
          onRejected: writeOptions.onRejected ? (rejection) => handOver(rejection, writeOptions.onRejected!, index, dialect) : undefined,
          onWritten(documents) {
            done += documents;
            progress?.emit({ phase: 'write', kind: 'progress', item: index, done, total: writeOptions.expected });
          },
        });
        try {
          for await (const page of pages) {
            for (const document of page) {
              // Strings, written by the loader straight into the request body: no Buffer a document.
              const full = loader.add(
                bulkActionLine(dialect, { type: document.type, id: document.id, routing: document.routing }),
                JSON.stringify(document.source),
              );
              if (full) await full;
            }
          }
        } catch (error) {
          // Let the requests already sent end before reporting: nothing keeps writing behind the caller's back.
          await loader.finish().catch(() => undefined);
          throw error;
        }
        return loader.finish();
      };
      const result = small ? await load() : await withLoadSettings(client, dialect, index, load);
      // Nothing was left for a last request (the load ended on a full one): refreshed alone. An empty load has nothing to show.
      if (small && !result.refreshed && result.written > 0) await refreshIndex(client, index);
      progress?.emit({ phase: 'write', kind: 'end', item: index, done: result.written, total: writeOptions.expected });
      return { written: result.written };
    },
  };
}
