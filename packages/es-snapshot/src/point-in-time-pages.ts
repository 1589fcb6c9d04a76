// Pages through every document of an index (or alias) with a point in time and
// search_after on _shard_doc, fetching the next page while the caller handles the current one.
import type { Client } from '@elastic/elasticsearch';
import type { RawSearchPage } from './raw-search-page.js';
import { requestSearchPage } from './search-page-request.js';
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
    const page = await requestSearchPage(client, { method: 'POST', path: '/_search', body }, index, options.signal);
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
