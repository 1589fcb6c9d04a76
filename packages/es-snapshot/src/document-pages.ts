// Every document of an index, page by page, by the server's paging method: a point in time on
// 8.x, a scroll (scan on 1.x and 2.x) before. Readers and the export use this and nothing else.
import type { Client } from '@elastic/elasticsearch';
import { DEFAULT_DIALECT, onePageSearchRequest, type ServerDialect } from './dialect/server-dialect.js';
import { pointInTimePages } from './point-in-time-pages.js';
import { AnswerTooLarge } from './raw-request.js';
import type { RawSearchPage } from './raw-search-page.js';
import { scrollPages } from './scroll-pages.js';
import { answerLimit, documentsThatFit, requestSearchPage } from './search-page-request.js';

export interface DocumentPagesOptions {
  pageSize: number;
  /** How long the point in time or scroll stays open between two pages ("2m"). */
  keepAlive: string;
  signal?: AbortSignal;
  /** Only the documents of this mapping type (multi-type servers, which page with scrolls). */
  type?: string;
  /**
   * The documents the caller counted (in a write-blocked or otherwise quiet index): when one page
   * holds them, they are fetched with one search, no point in time or scroll to open and close.
   */
  count?: number;
  /**
   * About this many bytes a page: every page on servers paged by point in time
   * (point-in-time-pages.ts), a scroll's first page before 8.x (scroll-pages.ts); and an index read
   * in one search whose answer passes ANSWER_PAGES times this is read in pages instead, as many
   * documents a page as fit.
   */
  pageBytes?: number;
}

/** The pages of `index`; the first carries `total`, pages may be empty (skip them). */
export function documentPages(
  client: Client,
  index: string,
  options: DocumentPagesOptions,
  dialect: ServerDialect = DEFAULT_DIALECT,
): AsyncGenerator<RawSearchPage> {
  if (options.count !== undefined && options.count <= options.pageSize) return onePage(client, index, options, dialect);
  return pagedDocuments(client, index, options, dialect);
}

function pagedDocuments(
  client: Client,
  index: string,
  options: DocumentPagesOptions & { firstPageSize?: number },
  dialect: ServerDialect,
): AsyncGenerator<RawSearchPage> {
  return dialect.paging === 'point-in-time' ? pointInTimePages(client, index, options) : scrollPages(client, dialect, index, options);
}

/** An index that fits in one page: one plain search (one round trip instead of three). */
async function* onePage(client: Client, index: string, options: DocumentPagesOptions, dialect: ServerDialect): AsyncGenerator<RawSearchPage> {
  const { pageBytes } = options;
  let page: RawSearchPage;
  try {
    const maxBytes = answerLimit(pageBytes, options.pageSize);
    page = await requestSearchPage(client, onePageSearchRequest(dialect, index, options.pageSize, options.type), index, options.signal, { maxBytes });
  } catch (error) {
    if (!(error instanceof AnswerTooLarge) || pageBytes === undefined) throw error;
    // Few documents, but large ones: in pages, the first one asking for as many as fit at the
    // size this answer had reached (its documents were the ones counted, at most).
    const fit = documentsThatFit(Math.min(options.count ?? options.pageSize, options.pageSize), pageBytes, error);
    yield* pagedDocuments(client, index, dialect.paging === 'point-in-time' ? { ...options, firstPageSize: fit } : { ...options, pageSize: fit }, dialect);
    return;
  }
  if (page.total !== undefined && page.hits.length === page.total) {
    yield page;
    return;
  }
  // It grew past a page since it was counted: read it the usual way, consistent at its point in time.
  yield* pagedDocuments(client, index, options, dialect);
}
