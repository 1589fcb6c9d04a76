// Every document of an index, page by page, by the server's paging method: a point in time on
// 8.x, a scroll (scan on 1.x and 2.x) before. Readers and the export use this and nothing else.
import type { Client } from '@elastic/elasticsearch';
import { DEFAULT_DIALECT, type ServerDialect } from './dialect/server-dialect.js';
import { pointInTimePages } from './point-in-time-pages.js';
import type { RawSearchPage } from './raw-search-page.js';
import { scrollPages } from './scroll-pages.js';

export interface DocumentPagesOptions {
  pageSize: number;
  /** How long the point in time or scroll stays open between two pages ("2m"). */
  keepAlive: string;
  signal?: AbortSignal;
  /** Only the documents of this mapping type (multi-type servers, which page with scrolls). */
  type?: string;
}

/** The pages of `index`; the first carries `total`, pages may be empty (skip them). */
export function documentPages(
  client: Client,
  index: string,
  options: DocumentPagesOptions,
  dialect: ServerDialect = DEFAULT_DIALECT,
): AsyncGenerator<RawSearchPage> {
  return dialect.paging === 'point-in-time' ? pointInTimePages(client, index, options) : scrollPages(client, dialect, index, options);
}
