// Pages through every document of an index (or alias) with a scroll, on servers without
// points in time (before 8.x here): scan + scroll on 1.x and 2.x, a scroll sorted by `_doc`
// from 5.x. The protocol's details per version are in dialect/server-dialect.ts.
import type { Client } from '@elastic/elasticsearch';
import { clearScrollRequest, continueScrollRequest, isScrollCleared, openScrollRequest, type ReadSlice, type ServerDialect } from './dialect/server-dialect.js';
import { AnswerTooLarge } from './raw-request.js';
import type { RawSearchPage } from './raw-search-page.js';
import { AlternatingBuffers } from './reusable-buffer.js';
import { answerLimit, documentsThatFit, requestSearchPage } from './search-page-request.js';

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
  /**
   * About this many bytes a page: a scroll keeps the page size it was opened with, so only its
   * first page of hits is held to ANSWER_PAGES times this; past it, the scroll is cleared and
   * opened again with as many documents a page as fit. Unbounded when absent.
   */
  pageBytes?: number;
}

/**
 * Pages of hits; the first one carries `total`. The scroll is cleared at the end, whatever happens.
 * A page's bytes are valid until the caller asks for the next page (its buffer is then reused).
 */
export async function* scrollPages(client: Client, dialect: ServerDialect, index: string, options: ScrollOptions): AsyncGenerator<RawSearchPage> {
  let scrollId: string | undefined;
  // A scan gives `size` hits of every shard a page: on 5 shards a `size` of pageSize would hold
  // 5 pages in memory at once (and a reader holds the page parsed, and the next one prefetched).
  let size = dialect.paging === 'scan-scroll' ? Math.max(Math.floor(options.pageSize / (await scannedShards(client, index))), 1) : options.pageSize;
  const buffers = new AlternatingBuffers();
  const fetchPage = async (first: boolean, maxBytes?: number): Promise<RawSearchPage> => {
    const request = first
      ? openScrollRequest(dialect, index, size, options.keepAlive, options.type, options.slice)
      : continueScrollRequest(dialect, scrollId!, options.keepAlive);
    const page = await requestSearchPage(client, request, index, options.signal, { into: buffers.next(), maxBytes });
    if (page.scrollId) scrollId = page.scrollId;
    return page;
  };

  /** The scan's first answer (the total, no hit) and the first page of hits, held to the page bytes. */
  const open = async (): Promise<{ opening?: RawSearchPage; firstPage?: RawSearchPage }> => {
    for (;;) {
      const maxBytes = answerLimit(options.pageBytes, size);
      try {
        if (dialect.paging !== 'scan-scroll') return { firstPage: await fetchPage(true, maxBytes) };
        const opening = await fetchPage(true);
        return { opening, firstPage: scrollId ? await fetchPage(false, maxBytes) : undefined };
      } catch (error) {
        if (!(error instanceof AnswerTooLarge) || options.pageBytes === undefined) throw error;
        // The dropped answer opened the scroll (its id comes first in it) or continued the scan's.
        const dropped = scrollId ?? scrollIdAtStart(error.head);
        scrollId = undefined;
        if (dropped) await clearScroll(client, dialect, dropped);
        size = documentsThatFit(size, options.pageBytes, error);
      }
    }
  };

  try {
    const { opening, firstPage } = await open();
    // The first answer carries the total (a scan's, no hit): it is always handed over.
    if (opening) yield opening;
    if (!firstPage) return;
    let page = firstPage;
    let first = !opening;
    for (;;) {
      const last = page.hits.length === 0 || (dialect.paging === 'scroll' && page.hits.length < size);
      const next: Promise<RawSearchPage> | undefined = last || !scrollId ? undefined : fetchPage(false);
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

/** The scroll id an answer starts with (`{"_scroll_id":"..."`, as 1.x to 7.x write it), from its first bytes. */
function scrollIdAtStart(head: Buffer): string | undefined {
  return /^\s*\{\s*"_scroll_id"\s*:\s*"([^"\\]+)"/.exec(head.toString('latin1'))?.[1];
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
