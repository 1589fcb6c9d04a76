// Pages through every document of an index (or alias) with a scroll, on servers without
// points in time (before 8.x here): scan + scroll on 1.x and 2.x, a scroll sorted by `_doc`
// from 5.x. The protocol's details per version are in dialect/server-dialect.ts.
import type { Client } from '@elastic/elasticsearch';
import { clearScrollRequest, continueScrollRequest, isScrollCleared, openScrollRequest, type ReadSlice, type ServerDialect } from './dialect/server-dialect.js';
import type { RawSearchPage } from './raw-search-page.js';
import { AlternatingBuffers } from './reusable-buffer.js';
import { requestSearchPage } from './search-page-request.js';

export interface ScrollOptions {
  /** Documents a page at most (on scan servers, which count `size` per shard, divided among the shards read: at least one a shard). */
  pageSize: number;
  /** How long the scroll stays open between two pages ("2m"). */
  keepAlive: string;
  signal?: AbortSignal;
  /** Only the documents of this mapping type (multi-type servers). */
  type?: string;
  /** Read only this slice (5.x+, `dialect.slicedReads`); its first page's total is the slice's. */
  slice?: ReadSlice;
}

/**
 * Pages of hits; the first one carries `total`. The scroll is cleared at the end, whatever happens.
 * A page's bytes are valid until the caller asks for the next page (its buffer is then reused).
 */
export async function* scrollPages(client: Client, dialect: ServerDialect, index: string, options: ScrollOptions): AsyncGenerator<RawSearchPage> {
  let scrollId: string | undefined;
  // A scan gives `size` hits of every shard a page: on 5 shards a `size` of pageSize would hold
  // 5 pages in memory at once (and a reader holds the page parsed, and the next one prefetched).
  const size = dialect.paging === 'scan-scroll' ? Math.max(Math.floor(options.pageSize / (await scannedShards(client, index))), 1) : options.pageSize;
  const buffers = new AlternatingBuffers();
  const fetchPage = async (first: boolean): Promise<RawSearchPage> => {
    const request = first
      ? openScrollRequest(dialect, index, size, options.keepAlive, options.type, options.slice)
      : continueScrollRequest(dialect, scrollId!, options.keepAlive);
    const page = await requestSearchPage(client, request, index, options.signal, { into: buffers.next() });
    if (page.scrollId) scrollId = page.scrollId;
    return page;
  };

  try {
    // The first answer carries the total (and, for a scan, no hit): it is always handed over.
    let page = await fetchPage(true);
    let first = true;
    for (;;) {
      const last = page.hits.length === 0 || (dialect.paging === 'scroll' && page.hits.length < options.pageSize);
      const next: Promise<RawSearchPage> | undefined = (last && !(first && dialect.paging === 'scan-scroll')) || !scrollId ? undefined : fetchPage(false);
      // An unhandled rejection would crash the process while the caller still works on this page.
      next?.catch(() => undefined);
      if (first || page.hits.length > 0) yield page;
      first = false;
      if (!next) return;
      page = await next;
    }
  } finally {
    // Best effort: a scroll left open only costs memory until keepAlive expires. A finished
    // scan's scroll answers 404 `{}` (1.x, 2.x): already gone, which is what was wanted.
    if (scrollId) await clearScroll(client, dialect, scrollId);
  }
}

/**
 * The shards a search of `index` (an index or an alias) reads: one per primary shard of each
 * index it names. 1 when the server cannot tell: the scan then reads the index, only in larger pages.
 */
async function scannedShards(client: Client, index: string): Promise<number> {
  const answer = (await client.transport.request({ method: 'GET', path: `/${encodeURIComponent(index)}/_search_shards` }).catch(() => undefined)) as
    | { shards?: unknown[] }
    | undefined;
  return Math.max(answer?.shards?.length ?? 1, 1);
}

/** Frees a scroll; true when the server says it is gone (cleared now, or a finished scan's 404). Never throws. */
export async function clearScroll(client: Client, dialect: ServerDialect, scrollId: string): Promise<boolean> {
  const request = clearScrollRequest(dialect, scrollId);
  const answer = await client.transport
    .request({ method: request.method, path: request.path, body: request.body as never }, { meta: true, ignore: [404] })
    .catch(() => undefined);
  // Anything but "cleared" or "already gone" is left to the keepAlive, which frees it anyway.
  return isScrollCleared(answer?.statusCode ?? 0);
}
