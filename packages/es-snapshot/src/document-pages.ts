// Every document of an index, page by page, by the server's paging method: a point in time on
// 8.x, a scroll (scan on 1.x and 2.x) before. Readers and the export use this and nothing else.
import type { Client } from '@elastic/elasticsearch';
import { DEFAULT_DIALECT, onePageSearchRequest, type ServerDialect } from './dialect/server-dialect.js';
import { pointInTimePages } from './point-in-time-pages.js';
import type { RawSearchPage } from './raw-search-page.js';
import { scrollPages } from './scroll-pages.js';
import { requestSearchPage } from './search-page-request.js';

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
  /** About this many bytes a page, on servers paged by point in time (point-in-time-pages.ts). */
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

function pagedDocuments(client: Client, index: string, options: DocumentPagesOptions, dialect: ServerDialect): AsyncGenerator<RawSearchPage> {
  return dialect.paging === 'point-in-time' ? pointInTimePages(client, index, options) : scrollPages(client, dialect, index, options);
}

/** An index that fits in one page: one plain search (one round trip instead of three). */
async function* onePage(client: Client, index: string, options: DocumentPagesOptions, dialect: ServerDialect): AsyncGenerator<RawSearchPage> {
  const page = await requestSearchPage(client, onePageSearchRequest(dialect, index, options.pageSize, options.type), index, options.signal);
  if (page.total !== undefined && page.hits.length === page.total) {
    yield page;
    return;
  }
  // It grew past a page since it was counted: read it the usual way, consistent at its point in time.
  yield* pagedDocuments(client, index, options, dialect);
}
