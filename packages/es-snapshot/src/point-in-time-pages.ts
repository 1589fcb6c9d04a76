// Pages through every document of an index (or alias) with a point in time and
// search_after on _shard_doc, fetching the next page while the caller handles the current one.
import type { Client } from '@elastic/elasticsearch';
import type { ReadSlice } from './dialect/server-dialect.js';
import { AnswerTooLarge } from './raw-request.js';
import { lastSortFromTail, type RawSearchPage } from './raw-search-page.js';
import { AlternatingBuffers } from './reusable-buffer.js';
import { answerLimit, documentsThatFit, requestSearchPage } from './search-page-request.js';
import { wrapElasticsearchError } from './wrap-elasticsearch-error.js';

export interface PointInTimeOptions {
  pageSize: number;
  /** How long the point in time stays open between two pages ("2m"). */
  keepAlive: string;
  signal?: AbortSignal;
  /** Read only this slice (the point in time is then the caller's: `openPointInTime`, shared by the slices). */
  slice?: ReadSlice & { pitId: string };
  /**
   * About this many bytes a page: after each page, the next one asks for as many documents as fit
   * at the size seen so far (never more than `pageSize`), so that large documents make smaller
   * pages instead of answers of hundreds of MB; and a page past ANSWER_PAGES times this (the first
   * one, before any size is known, or one of larger documents) is dropped unread and asked again
   * for fewer documents. Unbounded when absent.
   */
  pageBytes?: number;
  /** Documents the first page asks for, when the caller knows better than `pageSize` (document-pages.ts). */
  firstPageSize?: number;
}

/** Opens a point in time on `index`; the caller closes it (`closePointInTime`). */
export async function openPointInTime(client: Client, index: string, keepAlive: string, signal?: AbortSignal): Promise<string> {
  try {
    return (await client.openPointInTime({ index, keep_alive: keepAlive }, { signal })).id;
  } catch (error) {
    throw wrapElasticsearchError(error, `opening a point in time on ${index}`);
  }
}

/** Best effort: a point in time left open only costs memory until its keep_alive expires. */
export async function closePointInTime(client: Client, pitId: string): Promise<void> {
  await client.closePointInTime({ id: pitId }).catch(() => undefined);
}

/**
 * The first page also carries `total`: the document count at the point in time. A page's bytes
 * are valid until the caller asks for the next page (its buffer is then reused).
 *
 * The next page is asked as soon as this one's bytes are in, when its last sort values can be
 * read from its end (lastSortFromTail) and the caller already waits for it (the buffer the next
 * page goes into is then free): Elasticsearch fetches it while this one is read. Once the page is
 * read, the guess (sort values and size) is checked against it; a wrong one is dropped and the
 * page asked again.
 */
export async function* pointInTimePages(client: Client, index: string, options: PointInTimeOptions): AsyncGenerator<RawSearchPage> {
  const slice = options.slice;
  let pitId = slice ? slice.pitId : await openPointInTime(client, index, options.keepAlive, options.signal);
  let buffers = new AlternatingBuffers();
  const pageBytes = options.pageBytes;

  let documentsSeen = 0;
  let bytesSeen = 0;
  /** Documents a page, once `documents` more documents were seen in `bytes` more bytes. */
  const sizeAfter = (documents: number, bytes: number): number =>
    pageBytes === undefined || documentsSeen + documents === 0
      ? options.pageSize
      : Math.max(1, Math.min(options.pageSize, Math.floor(pageBytes / ((bytesSeen + bytes) / (documentsSeen + documents)))));
  /** The page the caller waits for (1 for the first). */
  let awaited = 0;
  /** The next page, asked from the current one's end before it was read. */
  let early: { number: number; searchAfter: unknown[]; size: number; page: Promise<RawSearchPage> } | undefined;
  /** Bumped when a guess was wrong: the requests asked before (and their answers) ask nothing early. */
  let generation = 0;

  const fetchPage = (searchAfter: unknown[] | undefined, number: number, size: number): Promise<RawSearchPage> => {
    const body: Record<string, unknown> = {
      pit: { id: pitId, keep_alive: options.keepAlive },
      size,
      sort: [{ _shard_doc: 'asc' }],
      // Only the first page counts: the total at the point in time is what the export must match.
      track_total_hits: number === 1,
    };
    if (slice) body.slice = { id: slice.id, max: slice.max };
    if (searchAfter) body.search_after = searchAfter;
    const asking = generation;
    const askEarly = (bytes: Buffer) => {
      if (awaited !== number || asking !== generation) return;
      const guess = lastSortFromTail(bytes);
      if (!guess) return;
      // The size the next page gets if this one is full, as the loop works it out once it is read.
      const nextSize = sizeAfter(size, bytes.length);
      early = { number: number + 1, searchAfter: guess, size: nextSize, page: fetchPage(guess, number + 1, nextSize) };
      // Dropped unread when this page turns out to be the last: no unhandled rejection then.
      early.page.catch(() => undefined);
    };
    const reading = { into: buffers.next(), maxBytes: answerLimit(pageBytes, size), beforeParse: askEarly };
    return requestSearchPage(client, { method: 'POST', path: '/_search', body }, index, options.signal, reading).then((page) => {
      // A slice keeps the id it was given: the point in time is shared, and closed by its owner.
      if (page.pitId && !slice) pitId = page.pitId;
      return page;
    });
  };

  try {
    let number = 1;
    let size = Math.min(options.firstPageSize ?? options.pageSize, options.pageSize);
    let searchAfter: unknown[] | undefined;
    let next: Promise<RawSearchPage> | undefined = fetchPage(searchAfter, number, size);
    while (next) {
      awaited = number;
      let page: RawSearchPage;
      try {
        page = await next;
      } catch (error) {
        if (!(error instanceof AnswerTooLarge) || pageBytes === undefined) throw error;
        // More bytes than a page may hold: the same page again, with as many documents as fit at
        // the size this answer had reached (at least; a retry shrinks it further if need be).
        size = documentsThatFit(size, pageBytes, error);
        next = fetchPage(searchAfter, number, size);
        next.catch(() => undefined);
        continue;
      }
      const full = page.hits.length === size && page.lastSort !== undefined;
      documentsSeen += page.hits.length;
      bytesSeen += page.hits.bytes.length;
      const nextSize = sizeAfter(0, 0);
      const asked = early?.number === number + 1 ? early : undefined;
      early = undefined;
      number += 1;
      if (!full) next = undefined;
      else if (asked && asked.size === nextSize && JSON.stringify(asked.searchAfter) === JSON.stringify(page.lastSort)) next = asked.page;
      else {
        // A wrong guess may still be writing into the buffer the next page would take: fresh buffers.
        if (asked) {
          buffers = new AlternatingBuffers();
          generation += 1;
        }
        next = fetchPage(page.lastSort, number, nextSize);
      }
      searchAfter = page.lastSort;
      size = nextSize;
      // An unhandled rejection would crash the process while the caller still works on this page.
      next?.catch(() => undefined);
      yield page;
    }
  } finally {
    if (!slice) await closePointInTime(client, pitId);
  }
}
