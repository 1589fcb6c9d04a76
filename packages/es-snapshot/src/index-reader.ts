// The IndexReader port over Elasticsearch: counts, definitions and a paged stream of
// documents read through a point in time (8.x) or a scroll (before). A reader may be given a
// `locate` that says where a name's documents live (an index and a type on multi-type servers).
import type { IndexDefinition, IndexReader, ReadOptions, StoredDocument } from '@a4c-admin/core';
import type { Client } from '@elastic/elasticsearch';
import { countIndices } from './batched-counts.js';
import { DEFAULT_DIALECT, indexEndpoint, type ServerDialect } from './dialect/server-dialect.js';
import { documentPages } from './document-pages.js';
import { describeIndices, readIndexDefinition } from './index-definition.js';
import { HIT_ID, HIT_ROUTING, HIT_SOURCE, HIT_TYPE } from './raw-search-page.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

export interface IndexReaderOptions {
  /** Documents a page (1-10000), 2000 by default. */
  pageSize?: number;
  /** How long the point in time stays open between pages, "2m" by default. */
  keepAlive?: string;
  /** Stops every read that was given no signal of its own (Ctrl-C). */
  signal?: AbortSignal;
  /** The connected server's dialect (connectElasticsearch); 8.x when absent. */
  dialect?: ServerDialect;
  /** Where the documents of a name live: the name itself by default. */
  locate?: (name: string) => DocumentLocation;
}

/** An index, and on a multi-type server the one mapping type of it that holds a name's documents. */
export interface DocumentLocation {
  index: string;
  type?: string;
}

/** The number of documents of an index or alias (of one type when given), or undefined when it does not exist. */
export async function countDocuments(client: Client, index: string, type?: string): Promise<number | undefined> {
  try {
    const answer = (await client.transport.request({ method: 'GET', path: indexEndpoint(index, '_count', type) }, { ignore: [404] })) as { count?: unknown };
    return typeof answer.count === 'number' ? answer.count : undefined;
  } catch (error) {
    throw wrapElasticsearchError(error, `counting the documents of ${type === undefined ? index : `${index}/${type}`}`);
  }
}

/**
 * About this many bytes a search page: each stream holds two (the page being parsed, the next
 * one being read), and a migration reads four indices at once: ~1500 documents of ~1.2 KB;
 * larger documents make pages of fewer documents.
 */
const PAGE_BYTES = 2 * 1024 * 1024;

/** Documents parsed at a time from a search page (see `read`). */
const PARSED_BATCH = 250;

export function createIndexReader(client: Client, options: IndexReaderOptions = {}): IndexReader {
  const keepAlive = options.keepAlive ?? '2m';
  const dialect = options.dialect ?? DEFAULT_DIALECT;
  const locate = options.locate ?? ((name: string): DocumentLocation => ({ index: name }));
  return {
    count(name, countOptions = {}) {
      const { index, type } = locate(name);
      return countDocuments(client, index, countOptions.type ?? type);
    },
    async definition(name): Promise<IndexDefinition> {
      const { index, type } = locate(name);
      const { mappings, settings } = await readIndexDefinition(client, index);
      // One type of a multi-type index: its mappings alone, in the typeless shape of 8.x.
      if (type !== undefined) return { mappings: (mappings[type] ?? {}) as Record<string, unknown>, settings };
      return { mappings, settings };
    },
    async counts(names) {
      const located = names.map(locate);
      // One type of a multi-type index is counted alone (the batched search names indices only).
      if (located.some(({ type }) => type !== undefined)) return new Map();
      const counted = await countIndices(
        client,
        dialect,
        located.map(({ index }) => index),
        options.signal,
      );
      return new Map(names.flatMap((name, position) => (counted.has(located[position]!.index) ? [[name, counted.get(located[position]!.index)!]] : [])));
    },
    async definitions(names) {
      const located = names.map(locate);
      const described = await describeIndices(client, [...new Set(located.map(({ index }) => index))]);
      return new Map(
        names.map((name, position) => {
          const { index, type } = located[position]!;
          const { mappings, settings } = described.get(index)!;
          return [name, { mappings: type === undefined ? mappings : ((mappings[type] ?? {}) as Record<string, unknown>), settings }];
        }),
      );
    },
    async *read(name: string, readOptions: ReadOptions = {}): AsyncIterable<StoredDocument[]> {
      const located = locate(name);
      const index = located.index;
      const type = readOptions.type ?? located.type;
      const pageSize = Math.min(Math.max(readOptions.pageSize ?? options.pageSize ?? 2000, 1), 10_000);
      let done = 0;
      let total: number | undefined;
      readOptions.progress?.emit({ phase: 'read', kind: 'start', item: name });
      for await (const page of documentPages(
        client,
        index,
        { pageSize, keepAlive, signal: readOptions.signal ?? options.signal, type, count: readOptions.count, pageBytes: PAGE_BYTES },
        dialect,
      )) {
        total ??= page.total;
        const hits = page.hits;
        // A search page is handed on in small batches, each parsed only when the caller asks for
        // it: a caller that transforms and writes a batch before asking for the next (a migration)
        // holds ~PARSED_BATCH documents as objects at a time, which die young, instead of a whole
        // page that outlives a few scavenges and then waits for a full collection (the heap of a
        // 200k migration peaked at 120-210 MB, mostly such pages). The answer's bytes stay valid
        // until the next search page is asked for, after the last batch.
        for (let start = 0; start < hits.length; start += PARSED_BATCH) {
          const end = Math.min(hits.length, start + PARSED_BATCH);
          const documents: StoredDocument[] = new Array(end - start);
          for (let hit = start; hit < end; hit++) {
            const document: StoredDocument = {
              id: JSON.parse(hits.field(hit, HIT_ID)!.toString('utf8')) as string,
              source: JSON.parse(hits.field(hit, HIT_SOURCE)!.toString('utf8')) as Record<string, unknown>,
            };
            // Only a multi-type server's type says something: 6.x and 7.x report one per index (doc, _doc).
            const typeJson = dialect.multiType ? hits.field(hit, HIT_TYPE) : undefined;
            if (typeJson) document.type = JSON.parse(typeJson.toString('utf8')) as string;
            const routingJson = hits.field(hit, HIT_ROUTING);
            if (routingJson) document.routing = JSON.parse(routingJson.toString('utf8')) as string;
            documents[hit - start] = document;
          }
          done += documents.length;
          readOptions.progress?.emit({ phase: 'read', kind: 'progress', item: name, done, total });
          yield documents;
        }
      }
      readOptions.progress?.emit({ phase: 'read', kind: 'end', item: name, done, total });
    },
  };
}
