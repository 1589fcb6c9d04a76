// The IndexReader port over Elasticsearch: counts, definitions and a paged stream of
// documents read through a point in time.
import type { IndexDefinition, IndexReader, ReadOptions, StoredDocument } from '@a4c-admin/core';
import type { Client } from '@elastic/elasticsearch';
import { readIndexDefinition } from './index-definition.js';
import { pointInTimePages } from './point-in-time-pages.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

export interface IndexReaderOptions {
  /** Documents a page (1-10000), 2000 by default. */
  pageSize?: number;
  /** How long the point in time stays open between pages, "2m" by default. */
  keepAlive?: string;
  /** Stops every read that was given no signal of its own (Ctrl-C). */
  signal?: AbortSignal;
}

/** The number of documents of an index or alias, or undefined when it does not exist. */
export async function countDocuments(client: Client, index: string): Promise<number | undefined> {
  try {
    const answer = await client.count({ index }, { ignore: [404] });
    return typeof answer.count === 'number' ? answer.count : undefined;
  } catch (error) {
    throw wrapElasticsearchError(error, `counting the documents of ${index}`);
  }
}

export function createIndexReader(client: Client, options: IndexReaderOptions = {}): IndexReader {
  const keepAlive = options.keepAlive ?? '2m';
  return {
    count: (index) => countDocuments(client, index),
    async definition(index): Promise<IndexDefinition> {
      const { mappings, settings } = await readIndexDefinition(client, index);
      return { mappings, settings };
    },
    async *read(index: string, readOptions: ReadOptions = {}): AsyncIterable<StoredDocument[]> {
      const pageSize = Math.min(Math.max(readOptions.pageSize ?? options.pageSize ?? 2000, 1), 10_000);
      let done = 0;
      let total: number | undefined;
      readOptions.progress?.emit({ phase: 'read', kind: 'start', item: index });
      for await (const page of pointInTimePages(client, index, { pageSize, keepAlive, signal: readOptions.signal ?? options.signal })) {
        total ??= page.total;
        if (page.hits.length === 0) continue;
        const documents: StoredDocument[] = page.hits.map((hit) => {
          const document: StoredDocument = {
            id: JSON.parse(hit.idJson.toString('utf8')) as string,
            source: JSON.parse(hit.source.toString('utf8')) as Record<string, unknown>,
          };
          if (hit.routingJson) document.routing = JSON.parse(hit.routingJson.toString('utf8')) as string;
          return document;
        });
        done += documents.length;
        readOptions.progress?.emit({ phase: 'read', kind: 'progress', item: index, done, total });
        yield documents;
      }
      readOptions.progress?.emit({ phase: 'read', kind: 'end', item: index, done, total });
    },
  };
}
