// Pages through every document of an index (or alias) with a point in time and
// search_after on _shard_doc, fetching the next page while the caller handles the current one.
import { A4cAdminError, isA4cAdminError } from '@a4c-admin/core';
import type { Client } from '@elastic/elasticsearch';
import { rawRequest } from './raw-request.js';
import { parseRawSearchPage, type RawSearchPage } from './raw-search-page.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

export interface PointInTimeOptions {
  pageSize: number;
  /** How long the point in time stays open between two pages ("2m"). */
  keepAlive: string;
  signal?: AbortSignal;
}

/** The first page also carries `total`: the document count at the point in time. */
export async function* pointInTimePages(client: Client, index: string, options: PointInTimeOptions): AsyncGenerator<RawSearchPage> {
  let pitId: string;
  try {
    const opened = await client.openPointInTime({ index, keep_alive: options.keepAlive }, { signal: options.signal });
    pitId = opened.id;
  } catch (error) {
    throw wrapElasticsearchError(error, `opening a point in time on ${index}`);
  }

  const fetchPage = async (searchAfter: unknown[] | undefined, first: boolean): Promise<RawSearchPage> => {
    const body: Record<string, unknown> = {
      pit: { id: pitId, keep_alive: options.keepAlive },
      size: options.pageSize,
      sort: [{ _shard_doc: 'asc' }],
      // Only the first page counts: the total at the point in time is what the export must match.
      track_total_hits: first,
    };
    if (searchAfter) body.search_after = searchAfter;
    let page: RawSearchPage;
    try {
      const bytes = await rawRequest(client, { method: 'POST', path: '/_search', body }, `reading ${index}`, { signal: options.signal });
      page = parseRawSearchPage(bytes);
    } catch (error) {
      throw await explainReadFailure(client, index, error);
    }
    if (page.failedShards > 0) {
      // A page with failed shards is a short page: continuing would lose documents silently.
      throw await explainReadFailure(
        client,
        index,
        new A4cAdminError('ES_REQUEST_FAILED', `${page.failedShards} shard(s) of ${index} failed while reading it: ${page.failure ?? 'no reason given'}`, {
          hint: 'Check the health of the index (GET /_cluster/health/<index>) and retry once it is green or yellow.',
        }),
      );
    }
    if (page.pitId) pitId = page.pitId;
    return page;
  };

  try {
    let next: Promise<RawSearchPage> | undefined = fetchPage(undefined, true);
    while (next) {
      const page: RawSearchPage = await next;
      const full = page.hits.length === options.pageSize && page.lastSort !== undefined;
      next = full ? fetchPage(page.lastSort, false) : undefined;
      // An unhandled rejection would crash the process while the caller still works on this page.
      next?.catch(() => undefined);
      yield page;
    }
  } finally {
    // Best effort: a point in time left open only costs memory until keep_alive expires.
    await client.closePointInTime({ id: pitId }).catch(() => undefined);
  }
}

/** Failed reads of an index that was deleted meanwhile say so, instead of a generic search error. */
export async function explainReadFailure(client: Client, index: string, error: unknown): Promise<A4cAdminError> {
  const wrapped = isA4cAdminError(error) ? error : wrapElasticsearchError(error, `reading ${index}`);
  if (wrapped.code === 'CANCELLED') return wrapped;
  const exists = await client.indices.exists({ index }).catch(() => true);
  if (!exists) {
    return new A4cAdminError('INDEX_NOT_FOUND', `Index ${index} disappeared while it was being read: the copy is incomplete.`, {
      hint: 'Something deleted the index during the export (A4C itself, another tool). Stop the writers and run the export again.',
      details: { index },
      cause: wrapped,
    });
  }
  return wrapped;
}
